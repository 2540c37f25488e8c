export { datasetsDir } from './datasets-dir';

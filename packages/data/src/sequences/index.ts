export { eventsByUser, userCountOf, type UserEventIndex } from './user-events';
export { userSequences, sequenceOf, type UserSequences } from './user-sequences';

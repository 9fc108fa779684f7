// The screens of the menu: the capability table (src-shared/access.ts) says which operation each one
// needs, so the menu, the routes and the gate agree.
export { canOpen, screens, type Screen } from '../src-shared/access';

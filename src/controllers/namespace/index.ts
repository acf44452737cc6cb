// Public entry of the namespace controller: a deleted namespace is emptied, then removed.
export { NamespaceController } from './namespace-controller.js';

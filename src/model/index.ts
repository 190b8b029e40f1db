export * from './types.js';
export * from './errors.js';
export * from './targets.js';
export * from './listening.js';
export * from './text-forms.js';
export * from './scan-record.js';
export * from './audit-record.js';
export * from './diff.js';

/** Kept in step with package.json by the release script (a test checks they agree). */
export const VERSION = '0.1.0';

/** Tool version, stamped into fingerprints and reports. Kept in step with package.json. */
export const VERSION = '0.1.0';

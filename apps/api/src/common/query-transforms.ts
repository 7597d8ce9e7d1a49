/** `?flag=true|false` query strings to booleans; anything else is left for the validator to reject. */
export const toBool = ({ value }: { value: unknown }): unknown => (value === 'true' ? true : value === 'false' ? false : value);

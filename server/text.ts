// Text that people and backends send us, as we store and show it. PostgreSQL cannot store U+0000;
// a control character in an id or a name is never meant, and breaks how an operator reads it.
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/g;

export const hasControlCharacter = (text: string) => text.search(CONTROL_CHARACTERS) !== -1;
export const withoutControlCharacters = (text: string) => text.replace(CONTROL_CHARACTERS, "");

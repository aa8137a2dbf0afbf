/**
 * Parses JSON with comments (`//`, `/* *\/`) and trailing commas, as VS Code writes `.vscode/mcp.json`,
 * using Microsoft's `jsonc-parser`. Where VS Code would underline a mistake, this throws instead: an
 * Error naming the first problem and its 1-based line and column, e.g. `line 3, column 12: expected a
 * comma or a closing brace "}"`. Text with no value in it (empty, or only comments) is an error too.
 */
import { getLocation, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';

type ErrorName = ReturnType<typeof printParseErrorCode>;

const problems: Record<ErrorName, string> = {
  InvalidSymbol: 'unexpected text; property names and strings need double quotes, and values are strings, numbers, true, false, null, objects or arrays',
  InvalidNumberFormat: 'this number is not written correctly',
  PropertyNameExpected: 'expected a property name in double quotes',
  ValueExpected: 'expected a value',
  ColonExpected: 'expected a colon after the property name',
  CommaExpected: 'expected a comma',
  CloseBraceExpected: 'expected a closing brace "}"',
  CloseBracketExpected: 'expected a closing bracket "]"',
  EndOfFileExpected: 'expected the end of the file after the value',
  InvalidCommentToken: 'this comment is not written correctly',
  UnexpectedEndOfComment: 'this comment is never closed with "*/"',
  UnexpectedEndOfString: 'this string is never closed with a double quote on the same line',
  UnexpectedEndOfNumber: 'this number ends too early',
  InvalidUnicode: 'expected four hex digits after "\\u"',
  InvalidEscapeCharacter: 'this backslash escape is not valid in JSON',
  InvalidCharacter: 'this character is not allowed inside a string',
  '<unknown ParseErrorCode>': 'the text is not valid JSON',
};

export function parseJsonc(text: string): unknown {
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  const value = tree === undefined ? undefined : valueOf(tree);
  const first = errors[0];
  // With nothing but whitespace and comments, the only error is a value expected at the very end.
  const empty = value === undefined && (!first || (errors.length === 1 && printParseErrorCode(first.error) === 'ValueExpected' && first.offset === text.length));
  if (empty) throw new Error('the file is empty: it holds no JSON value, only whitespace or comments');
  if (first) throw new Error(`${position(text, first.offset)}: ${describe(text, first)}`);
  return value;
}

/**
 * The value of a parsed node, built as JSON.parse builds it: every member an own property, so a
 * member named "__proto__" is data (jsonc-parser's own `parse` assigns it, replacing the prototype),
 * and the last of two members with one name wins.
 */
function valueOf(node: Node): unknown {
  switch (node.type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const member of node.children ?? []) {
        const [key, item] = member.children ?? [];
        if (key === undefined || item === undefined) continue;
        Object.defineProperty(out, String(key.value), { value: valueOf(item), enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
    case 'array':
      return (node.children ?? []).map(valueOf);
    default:
      return node.value;
  }
}

function describe(text: string, error: ParseError): string {
  const name = printParseErrorCode(error.error);
  if (name !== 'CommaExpected') return problems[name];
  // Whether the comma was missing between the members of an object or the items of an array.
  const inArray = typeof getLocation(text, error.offset).path.at(-1) === 'number';
  return inArray ? 'expected a comma or a closing bracket "]"' : 'expected a comma or a closing brace "}"';
}

/** `line L, column C` (both 1-based) of a UTF-16 offset into the text. */
function position(text: string, offset: number): string {
  const lines = text.slice(0, offset).split(/\r\n|\r|\n/);
  return `line ${lines.length}, column ${(lines.at(-1)?.length ?? 0) + 1}`;
}

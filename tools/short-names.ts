// Single-letter names outside short lambdas: `runStep(run, o, …)` makes a reader look up what `o` is.
// A binding (variable, parameter, function, catch or loop variable, destructured name) of one letter
// is allowed only as a parameter of an arrow function that fits on one line, where its meaning is
// beside it. Type parameters (`T`) are a convention and stay allowed.
import ts from 'typescript';

export interface ShortName {
  file: string;
  line: number;
  name: string;
}

function isShortLambdaParameter(node: ts.Node, source: ts.SourceFile): boolean {
  const parameter = node.parent;
  if (!ts.isParameter(parameter)) return false;
  const lambda = parameter.parent;
  if (!ts.isArrowFunction(lambda)) return false;
  const start = source.getLineAndCharacterOfPosition(lambda.getStart(source)).line;
  const end = source.getLineAndCharacterOfPosition(lambda.getEnd()).line;
  return start === end;
}

/** Every single-letter binding of one file that is not a short lambda's parameter. */
export function shortNames(file: string, text: string): ShortName[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: ShortName[] = [];
  const visit = (node: ts.Node): void => {
    if (
      ts.isIdentifier(node) &&
      node.text.length === 1 &&
      node.text !== '_' &&
      isBindingName(node) &&
      !isShortLambdaParameter(node, source)
    ) {
      const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
      found.push({ file, line, name: node.text });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function isBindingName(node: ts.Identifier): boolean {
  const parent = node.parent;
  if (
    ts.isVariableDeclaration(parent) ||
    ts.isParameter(parent) ||
    ts.isFunctionDeclaration(parent) ||
    ts.isClassDeclaration(parent)
  )
    return parent.name === node;
  // `{ a, b: c }` and `[a, b]`: the bound name, not the property read.
  if (ts.isBindingElement(parent)) return parent.name === node;
  return false;
}

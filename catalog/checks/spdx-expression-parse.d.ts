declare module 'spdx-expression-parse' {
  const parse: (expression: string) => { license?: string; left?: unknown; right?: unknown };
  export default parse;
}

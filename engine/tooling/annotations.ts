/**
 * Problems as GitHub Actions workflow commands (`::error file=…,line=…,col=…::message`), which a
 * workflow run shows on the pull request's lines. Property values and the message are escaped as
 * the runner expects, so a message cannot end the command early or start another one.
 */

function escapeData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

export interface Annotation {
  file: string;
  line?: number;
  col?: number;
  title?: string;
  message: string;
}

export function githubError(annotation: Annotation): string {
  const properties = [
    `file=${escapeProperty(annotation.file)}`,
    ...(annotation.line === undefined ? [] : [`line=${annotation.line}`]),
    ...(annotation.col === undefined ? [] : [`col=${annotation.col}`]),
    ...(annotation.title === undefined ? [] : [`title=${escapeProperty(annotation.title)}`]),
  ];
  return `::error ${properties.join(",")}::${escapeData(annotation.message)}`;
}

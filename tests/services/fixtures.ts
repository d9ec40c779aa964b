/** A small valid notebook: one int param with bounds and two SQL cells. */
export function notebookSource(name = 'weekly-report', query = 'select ${params.days} as days'): string {
  return `---
name: ${name}
description: Weekly numbers
params:
  days:
    type: int
    default: 7
    min: 1
    max: 90
---

# Weekly report

\`\`\`cell sql id=summary
query: ${query}
\`\`\`

\`\`\`cell sql id=again needs=[summary]
query: select 1 as one
\`\`\`
`;
}

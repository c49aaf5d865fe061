/** Where `score` puts its CSV: a file written atomically, or standard output (`--out -`) with the summary on standard error. */
import { writeAtomically } from '../report/results.js';

export async function writeScoresCsv(out: string, csv: string, summary: string): Promise<void> {
  if (out === '-') {
    process.stdout.write(csv);
    console.error(summary); // stdout carries the CSV alone
  } else {
    await writeAtomically(out, csv);
    console.log(`${summary}; wrote ${out}`);
  }
}

/**
 * The page's assets: the HTML and CSS as they are, and the script bundled once at start with
 * esbuild from `page/main.ts` and the parts of ECharts it uses, straight from node_modules, so
 * the screen needs no CDN or network.
 */
import { readFile } from 'node:fs/promises';
import { build } from 'esbuild';

/** The three files the page is made of. */
export interface PageAssets {
  html: string;
  css: string;
  script: string;
}

const PAGE = new URL('./page/', import.meta.url);

/** Reads the HTML and CSS and bundles the script; throws naming the file that failed. */
export async function loadPageAssets(): Promise<PageAssets> {
  const entry = new URL('main.ts', PAGE).pathname;
  const result = await build({ entryPoints: [entry], bundle: true, format: 'iife', minify: true, write: false, target: 'es2020', logLevel: 'silent', legalComments: 'none' }).catch(
    (error: Error) => {
      throw new Error(`cannot bundle the screen's script ${entry}: ${error.message}`);
    },
  );
  const script = result.outputFiles[0]?.text;
  if (script === undefined) throw new Error(`bundling ${entry} produced no output`);
  const [html, css] = await Promise.all([readFile(new URL('index.html', PAGE), 'utf8'), readFile(new URL('screen.css', PAGE), 'utf8')]);
  return { html, css, script };
}

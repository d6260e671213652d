// The one nunjucks Environment: Jinja filters and tests, HA functions as globals and filters.
import nunjucks from 'nunjucks';
import { filters } from './filters.js';
import { haConstants, haFunctions, statesGlobal } from './functions.js';
import { templateTests } from './tests.js';

function build(): nunjucks.Environment {
  // No loader: templates cannot include or import anything; no escaping, as in HA.
  const env = new nunjucks.Environment([], { autoescape: false });
  for (const [name, fn] of Object.entries(filters)) env.addFilter(name, fn);
  // addTest exists at runtime but is missing from @types/nunjucks.
  const addTest = (env as unknown as { addTest(n: string, f: unknown): void }).addTest.bind(env);
  for (const [name, fn] of Object.entries(templateTests)) addTest(name, fn);
  for (const [name, fn] of Object.entries(haFunctions)) env.addGlobal(name, fn);
  for (const [name, v] of Object.entries(haConstants)) env.addGlobal(name, v);
  env.addGlobal('states', statesGlobal);
  return env;
}

export const templateEnvironment = build();

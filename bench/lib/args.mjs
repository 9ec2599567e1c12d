// Tiny `--name value` / `--flag` parser for the bench scripts.
export function parseArgs(argv, defaults) {
  const out = { ...defaults };
  for (let i = 0; i < argv.length; i++) {
    if (!argv[i].startsWith('--')) continue;
    const key = argv[i].slice(2);
    const next = argv[i + 1];
    if (next === undefined || next.startsWith('--')) out[key] = true;
    else {
      out[key] = typeof defaults[key] === 'number' ? Number(next) : Array.isArray(defaults[key]) ? next.split(',') : next;
      i++;
    }
  }
  return out;
}

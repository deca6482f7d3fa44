/**
 * A Kubernetes CronJob schedule (five fields or a macro, already checked
 * by `cronProblem`) as an EventBridge Scheduler cron expression, which has
 * six fields (a year last), numbers the days of the week from 1 (Sunday),
 * has no steps in the day of week, and needs `?` in the day of month or
 * the day of week.
 */

const MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 ? *',
  '@annually': '0 0 1 1 ? *',
  '@monthly': '0 0 1 * ? *',
  '@weekly': '0 0 ? * SUN *',
  '@daily': '0 0 * * ? *',
  '@midnight': '0 0 * * ? *',
  '@hourly': '0 * * * ? *',
};
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

/** The EventBridge Scheduler expression, or why it has none. */
export type SchedulerCron = { readonly expression: string } | { readonly problem: string };

export function schedulerCron(schedule: string): SchedulerCron {
  const s = schedule.trim();
  if (s.startsWith('@')) {
    const fields = MACROS[s];
    return fields ? { expression: `cron(${fields})` } : { problem: `"${s}" is not a schedule macro` };
  }
  const [minute, hour, dom, month, dow] = s.split(/\s+/);
  const any = (f: string) => f === '*' || f === '?';
  if (!any(dom) && !any(dow)) {
    return {
      problem: `"${s}" names both a day of month (${dom}) and a day of week (${dow}); Kubernetes runs on either, `
        + 'EventBridge Scheduler cannot combine them',
    };
  }
  if (!any(dow) && dow.includes('/')) {
    return { problem: `"${s}" has a step in the day of week (${dow}), which EventBridge Scheduler does not accept` };
  }
  const days = any(dow) ? '?' : dow.split(',').map(dayList).join(',');
  return {
    expression: `cron(${[stepped(minute, 0), stepped(hour, 0), any(dow) ? (dom === '?' ? '*' : stepped(dom, 1)) : '?', stepped(month, 1), days, '*'].join(' ')})`,
  };
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

/**
 * A field's steps as EventBridge writes them: `*\/n` as `<first>/n`, `a/n`
 * as it is (both mean "from a, every n"), and a stepped range `a-b/n` as
 * the list of its values (month names read as numbers).
 */
function stepped(field: string, first: number): string {
  const num = (v: string) => /^[0-9]+$/.test(v) ? Number(v) : MONTHS.indexOf(v.toUpperCase()) + 1;
  return field.split(',').map(item => {
    const m = /^(.+)\/([0-9]+)$/.exec(item);
    if (!m) return item;
    if (m[1] === '*') return `${first}/${m[2]}`;
    if (!m[1].includes('-')) return `${num(m[1])}/${m[2]}`;
    const [a, b] = m[1].split('-').map(num);
    const values: number[] = [];
    for (let v = a; v <= b; v += Number(m[2])) values.push(v);
    return values.join(',');
  }).join(',');
}

/** One day-of-week item (a day or a range, by number 0-7 or name) as day names. */
function dayList(item: string): string {
  const day = (v: string) => /^[0-9]+$/.test(v) ? Number(v) % 7 : DAYS.indexOf(v.toUpperCase());
  const [a, b] = item.split('-');
  if (b === undefined) return DAYS[day(a)];
  const from = day(a);
  let to = day(b);
  if (to < from) to += 7; // 5-7 (Friday to Sunday)
  const names: string[] = [];
  for (let d = from; d <= to; d++) names.push(DAYS[d % 7]);
  return names.join(',');
}

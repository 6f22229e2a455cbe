import { ALERTS, DEFAULT_ALERT_THRESHOLDS } from '@app/common/observability/alerts';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { prometheusRules, renderPrometheusRules } from '../../tools/alerts/prometheus-rules';
import { SHIPPED_RULES, thresholdsFrom } from '../../tools/alerts/render-rules';
import { requirePrometheusBinary, run } from '../support/prometheus-binaries';

const root = resolve(__dirname, '../..');
const TESTS = resolve(root, 'deploy/prometheus/tests/quoteflow.rules.test.yml');
const promtool = requirePrometheusBinary('promtool', 'Prometheus rules (promtool check/test rules)');

type RuleTest = { alert_rule_test?: { alertname: string; exp_alerts: unknown[] }[] };

describe('Prometheus rules (deploy/prometheus)', () => {
  const shipped = readFileSync(SHIPPED_RULES, 'utf8');

  it('are the rendering of the alert catalogue with the shipped thresholds (tools/alerts/render-rules.ts)', () => {
    expect(shipped).toBe(renderPrometheusRules(DEFAULT_ALERT_THRESHOLDS));
  });

  it('hold every alert of the catalogue meant for Prometheus, each with its runbook entry in docs/alerts.md', () => {
    const docs = readFileSync(resolve(root, 'docs/alerts.md'), 'utf8');
    const alerts = prometheusRules(DEFAULT_ALERT_THRESHOLDS).groups.flatMap((g) => g.rules.flatMap((r) => ('alert' in r ? [r.alert] : [])));
    const meant = ALERTS.filter((a) => a.worlds.includes('prometheus'));

    expect(alerts.sort()).toEqual(meant.map((a) => a.name).sort());
    // the runbook anchors are GitHub's heading anchors: `### Stale feed` is #stale-feed
    const headings = [...docs.matchAll(/^### (.+)$/gm)].map((m) => m[1].trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-'));
    for (const alert of ALERTS) {
      expect({ alert: alert.name, runbook: headings.includes(alert.runbook), named: docs.includes(`\`${alert.name}\``) }).toEqual({ alert: alert.name, runbook: true, named: true });
    }
  });

  it('are tested for each alert: a case where it fires and one where it stays quiet', () => {
    const cases = (parse(readFileSync(TESTS, 'utf8')) as { tests: RuleTest[] }).tests.flatMap((t) => t.alert_rule_test ?? []);
    const coverage = ALERTS.filter((a) => a.worlds.includes('prometheus')).map((a) => ({
      alert: a.name,
      fires: cases.some((c) => c.alertname === a.name && c.exp_alerts.length > 0),
      quiet: cases.some((c) => c.alertname === a.name && c.exp_alerts.length === 0),
    }));

    expect(coverage.filter((c) => !c.fires || !c.quiet)).toEqual([]);
  });

  it('refuses a threshold override that is not a threshold or not a number', () => {
    expect(thresholdsFrom(['staleFeedSeconds=30']).staleFeedSeconds).toBe(30);
    expect(() => thresholdsFrom(['staleFeed=30'])).toThrow(/staleFeed: not a threshold/);
    expect(() => thresholdsFrom(['coverageMin=most'])).toThrow(/"most" is not a number/);
  });

  (promtool ? describe : describe.skip)('with promtool', () => {
    it('promtool check rules accepts the shipped rules', () => {
      const { code, output } = run(promtool!, ['check', 'rules', SHIPPED_RULES]);

      expect({ code, output }).toEqual({ code: 0, output: expect.stringMatching(/SUCCESS: \d+ rules found/) });
    });

    it('promtool check config accepts the compose profile\'s Prometheus config and the rules it loads', () => {
      const { code, output } = run(promtool!, ['check', 'config', resolve(root, 'deploy/prometheus/prometheus.yml')]);

      expect({ code, output }).toEqual({ code: 0, output: expect.stringMatching(/SUCCESS: 1 rule files found[\s\S]*SUCCESS: \d+ rules found/) });
    });

    it('promtool test rules passes the unit tests of deploy/prometheus/tests', () => {
      const { code, output } = run(promtool!, ['test', 'rules', TESTS]);

      expect({ code, output }).toEqual({ code: 0, output: expect.stringContaining('SUCCESS') });
    });
  });
});

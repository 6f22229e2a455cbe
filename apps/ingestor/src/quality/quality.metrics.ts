import { CloudWatchMetrics } from '@app/common';
import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Registry } from 'prom-client';
import { QualityMonitor } from './quality-monitor';

/**
 * `quoteflow_quality_divergence_bps{symbol}`: how far apart the sources of each instrument are;
 * `quoteflow_quality_alerts_total{kind}`: outliers raised (`jump`, `divergence`).
 */
@Injectable()
export class QualityMetrics {
  constructor(registry: Registry, monitor: QualityMonitor, cloudWatch?: CloudWatchMetrics) {
    const registers = [registry];
    const alerts = new Counter({ name: 'quoteflow_quality_alerts_total', help: 'Cross-provider quality alerts raised, by kind (jump, divergence)', labelNames: ['kind'], registers });
    // both kinds appear from the start, so a rate() over them has a zero to begin from
    for (const kind of ['jump', 'divergence']) alerts.inc({ kind }, 0);
    monitor.raised().subscribe((alert) => {
      alerts.inc({ kind: alert.kind });
      cloudWatch?.add(alert.kind === 'divergence' ? 'QualityDivergenceAlerts' : 'QualityJumpAlerts', 1);
    });
    new Gauge({
      name: 'quoteflow_quality_divergence_bps',
      help: 'Largest distance of one source from the others on an instrument quoted by two or more providers, in basis points of the mid',
      labelNames: ['symbol'],
      registers,
      // read at scrape time from the report /status shows; two series of one symbol show the wider
      async collect() {
        const widest = new Map<string, number>();
        for (const i of (await monitor.report()).instruments) widest.set(i.symbol, Math.max(widest.get(i.symbol) ?? 0, i.divergenceBps));
        this.reset();
        for (const [symbol, bps] of widest) this.set({ symbol }, bps);
      },
    });
  }
}

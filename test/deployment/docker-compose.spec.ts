import { CONFIG_VARIABLES, parseConfig } from '@app/common';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { emulatorPorts } from '../../tools/local/local-env';

/**
 * No Docker engine runs where the tests run, so docker-compose.yml and the Dockerfile are kept
 * honest by reading them: every variable they set is one the apps read, with a value the apps accept.
 */
const root = resolve(__dirname, '../..');
const compose = parse(readFileSync(resolve(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<
    string,
    {
      build?: { target?: string };
      image?: string;
      environment?: Record<string, string>;
      ports?: string[];
      depends_on?: unknown;
      healthcheck?: unknown;
      profiles?: string[];
      volumes?: string[];
    }
  >;
};
const dockerfile = readFileSync(resolve(root, 'Dockerfile'), 'utf8');
const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };

// ${VAR:-default} as docker compose would substitute it with VAR unset
const substituted = (env: Record<string, string> = {}) =>
  Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v).replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1')]));

describe('docker-compose.yml', () => {
  const inProfile = (profile: string | null) =>
    Object.keys(compose.services)
      .filter((name) => (profile ? compose.services[name].profiles?.includes(profile) : !compose.services[name].profiles))
      .sort();

  it('runs both apps, the provisioning step and the two AWS stand-ins', () => {
    expect(inProfile(null)).toEqual(['dynamodb', 'ingestor', 'processor', 'provision', 'sqs']);
  });

  it.each(['ingestor', 'processor', 'provision'])('builds %s from a target of the Dockerfile', (name) => {
    const target = compose.services[name].build?.target;

    expect(target).toBe(name);
    expect(dockerfile).toMatch(new RegExp(`^FROM \\S+ AS ${target}$`, 'm'));
  });

  it.each(['ingestor', 'processor', 'provision'])('gives %s only variables the apps read, with valid values', (name) => {
    const env = substituted(compose.services[name].environment);
    const unknown = Object.keys(env).filter((k) => !CONFIG_VARIABLES.includes(k) && k !== 'AWS_SECRET_ACCESS_KEY');

    expect(unknown).toEqual([]);
    expect(() => parseConfig({ ...env, NODE_ENV: 'production' })).not.toThrow();
  });

  it('points the apps at the stand-ins of the same file', () => {
    for (const name of ['ingestor', 'processor']) {
      const config = parseConfig(substituted(compose.services[name].environment));
      expect(config.aws.sqsEndpoint).toBe('http://sqs:9324');
      expect(config.aws.dynamodbEndpoint).toBe('http://dynamodb:8000');
    }
  });

  it('publishes the ports the apps listen on', () => {
    const ingestor = parseConfig(substituted(compose.services.ingestor.environment));
    const processor = parseConfig(substituted(compose.services.processor.environment));

    expect(compose.services.ingestor.ports).toEqual([`${ingestor.http.port}:${ingestor.http.port}`]);
    expect(compose.services.processor.ports).toEqual([`${processor.http.processorPort}:${processor.http.processorPort}`]);
  });

  it('publishes the apps on the ports the apps default to (CONTRACT: PORT 3000, PROCESSOR_PORT 3001)', () => {
    const defaults = parseConfig({}).http;

    expect(compose.services.ingestor.ports).toEqual([`${defaults.port}:${defaults.port}`]);
    expect(compose.services.processor.ports).toEqual([`${defaults.processorPort}:${defaults.processorPort}`]);
  });

  it('publishes the stand-ins on the host ports of `npm run emulators`, so host tools need no other endpoint', () => {
    const { sqsPort, dynamodbPort } = emulatorPorts({});

    expect(compose.services.sqs.ports).toEqual([`${sqsPort}:9324`]);
    expect(compose.services.dynamodb.ports).toEqual([`${dynamodbPort}:8000`]);
  });

  it('starts the apps only after provisioning succeeded, and the ingestor once the processor is healthy', () => {
    expect(compose.services.processor.depends_on).toEqual({ provision: { condition: 'service_completed_successfully' } });
    expect(compose.services.ingestor.depends_on).toEqual({
      provision: { condition: 'service_completed_successfully' },
      processor: { condition: 'service_healthy' },
    });
  });

  it('waits for health only of services that have a health check', () => {
    const conditions = Object.values(compose.services).flatMap((service) =>
      Object.entries((service.depends_on ?? {}) as Record<string, { condition?: string }>).filter(([, d]) => d.condition === 'service_healthy'),
    );
    for (const [name] of conditions) {
      const target = compose.services[name].build?.target;
      const stage = target ? dockerfile.slice(dockerfile.indexOf(`AS ${target}\n`)).split(/^FROM /m)[0] : '';
      expect({ name, healthCheck: Boolean(compose.services[name].healthcheck) || /^HEALTHCHECK /m.test(stage) }).toEqual({ name, healthCheck: true });
    }
    expect(conditions.length).toBeGreaterThan(0);
  });
});

describe('docker-compose.yml, profile monitoring', () => {
  const prometheus = compose.services.prometheus;
  const grafana = compose.services.grafana;
  const config = parse(readFileSync(resolve(root, 'deploy/prometheus/prometheus.yml'), 'utf8')) as {
    rule_files: string[];
    scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[];
  };
  /** `./host/path:/container/path[:ro]` → the container path of each host path. */
  const mounts = (volumes: string[] = []) => Object.fromEntries(volumes.map((v) => v.split(':')).map(([host, inside]) => [host, inside]));

  it('adds only Prometheus and Grafana, from pinned images, and only with --profile monitoring', () => {
    const profiled = Object.keys(compose.services).filter((name) => compose.services[name].profiles);

    expect(profiled.sort()).toEqual(['grafana', 'prometheus']);
    expect([prometheus.profiles, grafana.profiles]).toEqual([['monitoring'], ['monitoring']]);
    expect([prometheus.image, grafana.image]).toEqual([expect.stringMatching(/^prom\/prometheus:v\d+\.\d+\.\d+$/), expect.stringMatching(/^grafana\/grafana:\d+\.\d+\.\d+$/)]);
  });

  it('mounts the config and the shipped rules where the config looks for them', () => {
    const mounted = mounts(prometheus.volumes);

    expect(mounted['./deploy/prometheus/prometheus.yml']).toBe('/etc/prometheus/prometheus.yml');
    expect(mounted['./deploy/prometheus/rules']).toBe('/etc/prometheus/rules');
    expect(config.rule_files).toEqual(['rules/*.yml']);
  });

  it('scrapes both apps on the ports compose gives them, under job names the app-down rule watches', () => {
    const ingestor = parseConfig(substituted(compose.services.ingestor.environment));
    const processor = parseConfig(substituted(compose.services.processor.environment));
    const targets = Object.fromEntries(config.scrape_configs.map((c) => [c.job_name, c.static_configs.flatMap((s) => s.targets)]));

    expect(targets).toEqual({ 'quoteflow-ingestor': [`ingestor:${ingestor.http.port}`], 'quoteflow-processor': [`processor:${processor.http.processorPort}`] });
  });

  it('provisions Grafana with the Prometheus of the profile and the shipped dashboard, on a port the apps leave free', () => {
    const mounted = mounts(grafana.volumes);
    const datasources = parse(readFileSync(resolve(root, 'deploy/grafana/provisioning/datasources/prometheus.yml'), 'utf8')) as {
      datasources: { uid: string; url: string }[];
    };
    const providers = parse(readFileSync(resolve(root, 'deploy/grafana/provisioning/dashboards/quoteflow.yml'), 'utf8')) as { providers: { options: { path: string } }[] };
    const dashboard = JSON.parse(readFileSync(resolve(root, 'deploy/grafana/dashboards/quoteflow.json'), 'utf8')) as { panels: { datasource: { uid: string } }[] };

    expect(mounted['./deploy/grafana/provisioning']).toBe('/etc/grafana/provisioning');
    expect(mounted['./deploy/grafana/dashboards']).toBe(providers.providers[0].options.path);
    expect(datasources.datasources[0].url).toBe(`http://prometheus:${prometheus.ports![0].split(':')[1]}`);
    expect(new Set(dashboard.panels.map((p) => p.datasource.uid))).toEqual(new Set([datasources.datasources[0].uid]));
    const hostPorts = Object.values(compose.services).flatMap((s) => (s.ports ?? []).map((p) => p.split(':')[0]));
    expect(new Set(hostPorts).size).toBe(hostPorts.length);
  });
});

describe('Dockerfile', () => {
  it('runs the same entry points as npm run start:ingestor / start:processor / provision', () => {
    for (const app of ['ingestor', 'processor']) {
      const command = pkg.scripts[`start:${app}`].split(' ');
      expect(dockerfile).toContain(`CMD [${command.map((a) => JSON.stringify(a)).join(', ')}]`);
    }
    const [command, ...args] = pkg.scripts.provision.split(' ');
    expect(dockerfile).toContain(`CMD ["npx", ${[command, ...args].map((a) => JSON.stringify(a)).join(', ')}]`);
  });

  it('builds the apps, and with them the Lambda bundles, with npm run build', () => {
    expect(dockerfile).toMatch(/^RUN npm run build$/m);
    expect(pkg.scripts.build).toContain('tools/build/lambda-bundles-cli.ts');
    expect(dockerfile).toMatch(/^COPY tools tools$/m);
  });

  it('runs on Node 22 as a non-root user with a health check per app', () => {
    expect(dockerfile.match(/^FROM node:(\S+)/gm)).toEqual(['FROM node:22-slim', 'FROM node:22-slim']);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile.match(/^HEALTHCHECK /gm)).toHaveLength(2);
  });
});

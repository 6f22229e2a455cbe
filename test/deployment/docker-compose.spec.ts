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
    { build?: { target?: string }; environment?: Record<string, string>; ports?: string[]; depends_on?: unknown; healthcheck?: unknown }
  >;
};
const dockerfile = readFileSync(resolve(root, 'Dockerfile'), 'utf8');
const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };

// ${VAR:-default} as docker compose would substitute it with VAR unset
const substituted = (env: Record<string, string> = {}) =>
  Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v).replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1')]));

describe('docker-compose.yml', () => {
  it('runs both apps, the provisioning step and the two AWS stand-ins', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['dynamodb', 'ingestor', 'processor', 'provision', 'sqs']);
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
    expect(pkg.scripts.build).toContain('tools/build/lambda-bundles.ts');
    expect(dockerfile).toMatch(/^COPY tools tools$/m);
  });

  it('runs on Node 22 as a non-root user with a health check per app', () => {
    expect(dockerfile.match(/^FROM node:(\S+)/gm)).toEqual(['FROM node:22-slim', 'FROM node:22-slim']);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile.match(/^HEALTHCHECK /gm)).toHaveLength(2);
  });
});

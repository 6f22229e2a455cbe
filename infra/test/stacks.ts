import { App, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { QuoteflowContainerStack } from '../lib/container-stack';
import { QuoteflowLambdaStack } from '../lib/lambda-stack';
import type { QuoteflowSettings } from '../lib/settings';
import { TemplateReader } from './template';

export const defaultSettings: QuoteflowSettings = { provider: 'latest-stock-price', symbols: 'RELIANCE,TCS' };

/** The Lambda stack with inline stand-ins for the bundles, so tests need no `npm run build`. */
export function lambdaStack(settings: QuoteflowSettings = defaultSettings): QuoteflowLambdaStack {
  const code = lambda.Code.fromInline('exports.handler = async () => ({}); exports.ingest = exports.handler;');
  return new QuoteflowLambdaStack(new App(), 'Quoteflow', { settings, code: { processor: code, ingestor: code } });
}

/** The container stack with registry images, so tests need no Docker build context. */
export function containerStack(settings: QuoteflowSettings = defaultSettings): QuoteflowContainerStack {
  return new QuoteflowContainerStack(new App(), 'QuoteflowContainers', {
    settings,
    images: { ingestor: ecs.ContainerImage.fromRegistry('quoteflow-ingestor:test'), processor: ecs.ContainerImage.fromRegistry('quoteflow-processor:test') },
  });
}

export const read = (stack: Stack) => new TemplateReader(Template.fromStack(stack));

export interface AppView {
  /** Roles the app's code runs with (function roles, or ECS task roles). */
  roles: string[];
  /** Environment of each function or container of the app. */
  environments: Record<string, unknown>[];
}

/** Where each app lives in either template: functions by logical id, containers by name. */
export function appsOf(reader: TemplateReader, target: 'lambda' | 'containers'): { processor: AppView; ingestor: AppView } {
  if (target === 'lambda') {
    const fns = (prefix: string) => reader.ofType('AWS::Lambda::Function').filter(([id]) => id.startsWith(prefix));
    const view = (prefix: string): AppView => ({
      roles: fns(prefix).map(([, f]) => TemplateReader.target(f.Properties.Role)),
      environments: fns(prefix).map(([, f]) => f.Properties.Environment?.Variables ?? {}),
    });
    return { processor: view('Processor'), ingestor: view('Ingestor') };
  }
  const view = (name: string): AppView => {
    const [, task] = reader.one('AWS::ECS::TaskDefinition', (p) => p.ContainerDefinitions.some((c: { Name: string }) => c.Name === name));
    const container = task.Properties.ContainerDefinitions.find((c: { Name: string }) => c.Name === name);
    const environment = Object.fromEntries((container.Environment ?? []).map((e: { Name: string; Value: unknown }) => [e.Name, e.Value]));
    return { roles: [TemplateReader.target(task.Properties.TaskRoleArn)], environments: [environment] };
  };
  return { processor: view('processor'), ingestor: view('ingestor') };
}

import { Template } from 'aws-cdk-lib/assertions';

type Resource = { Type: string; Properties: Record<string, any> };
export type Statement = { Action: string | string[]; Effect: string; Resource: unknown };

/** Reading helpers over a synthesized template, for what `Template.hasResourceProperties` cannot say (absence, cross-references). */
export class TemplateReader {
  readonly resources: Record<string, Resource>;

  constructor(readonly template: Template) {
    this.resources = template.toJSON().Resources as Record<string, Resource>;
  }

  ofType(type: string): [string, Resource][] {
    return Object.entries(this.resources).filter(([, r]) => r.Type === type);
  }

  /** The one resource of `type` whose properties satisfy `match`. */
  one(type: string, match: (props: Record<string, any>) => boolean = () => true): [string, Resource] {
    const found = this.ofType(type).filter(([, r]) => match(r.Properties ?? {}));
    if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
    return found[0];
  }

  /** The one resource of `type` whose logical id contains `fragment` (construct ids survive into logical ids). */
  named(type: string, fragment: string): [string, Resource] {
    const found = this.ofType(type).filter(([id]) => id.includes(fragment));
    if (found.length !== 1) throw new Error(`expected one ${type} named like ${fragment}, found ${found.length}`);
    return found[0];
  }

  /** Logical id of the resource a `Ref` or `Fn::GetAtt` points at. */
  static target(ref: unknown): string {
    const r = ref as { Ref?: string; 'Fn::GetAtt'?: [string, string] };
    const id = r.Ref ?? r['Fn::GetAtt']?.[0];
    if (!id) throw new Error(`not a reference: ${JSON.stringify(ref)}`);
    return id;
  }

  /** Every IAM statement attached to the role (inline policies of AWS::IAM::Policy resources). */
  statementsOf(roleId: string): Statement[] {
    return this.ofType('AWS::IAM::Policy')
      .filter(([, p]) => (p.Properties.Roles as unknown[]).some((r) => TemplateReader.target(r) === roleId))
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Statement[]);
  }

  /** Every action the role may take, flattened. */
  actionsOf(roleId: string): string[] {
    return this.statementsOf(roleId).flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
  }

  /** Does the template mention resource `id` anywhere inside `value` (Ref, GetAtt, Join, ...)? */
  static mentions(value: unknown, id: string): boolean {
    return JSON.stringify(value).includes(`"${id}"`);
  }
}

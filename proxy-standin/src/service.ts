// A named route set and the load balancers serving it (internal/server/service.go): the active one, and the
// rollout one that takes the requests the rollout split picks while a split is set.
import type { IncomingMessage } from "node:http";
import type { SecureContext } from "node:tls";
import type { ErrorPages } from "./error-pages.ts";
import type { LoadBalancer } from "./load-balancer.ts";
import type { ServiceOptions, TargetOptions } from "./options.ts";
import { PauseController } from "./pause-controller.ts";
import { usesRolloutGroup, type RolloutSplit } from "./rollout-controller.ts";

/** What a deploy installs in one step; the option sets are replaced whole, never merged. */
export type Installation = {
  options: ServiceOptions;
  targetOptions: TargetOptions;
  certificate: SecureContext | undefined;
  errorPages: ErrorPages;
};

export class Service {
  readonly pause = new PauseController();

  readonly name: string;
  installed: Installation;
  active: LoadBalancer;
  /** installed by `rollout deploy`; `rollout stop` clears the split but leaves it in place */
  rollout: LoadBalancer | undefined;
  rolloutSplit: RolloutSplit | undefined;

  constructor(name: string, installed: Installation, active: LoadBalancer) {
    this.name = name;
    this.installed = installed;
    this.active = active;
  }

  get options(): ServiceOptions {
    return this.installed.options;
  }

  get targetOptions(): TargetOptions {
    return this.installed.targetOptions;
  }

  /** service.go loadBalancerForRequest: the rollout target only with both a rollout target and a split. */
  loadBalancerFor(req: IncomingMessage): LoadBalancer {
    if (this.rollout !== undefined && this.rolloutSplit !== undefined && usesRolloutGroup(this.rolloutSplit, req)) return this.rollout;
    return this.active;
  }

  /** Both load balancers, for drains and shutdown. */
  get loadBalancers(): LoadBalancer[] {
    return this.rollout === undefined ? [this.active] : [this.active, this.rollout];
  }
}

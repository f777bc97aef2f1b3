// A named route set and the load balancer currently serving it (internal/server/service.go).
import type { SecureContext } from "node:tls";
import type { ErrorPages } from "./error-pages.ts";
import type { LoadBalancer } from "./load-balancer.ts";
import type { ServiceOptions, TargetOptions } from "./options.ts";
import { PauseController } from "./pause-controller.ts";

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
}

// The files `sextant init` writes: a starting config/deploy.yml, a .kamal/secrets stub, and sample hooks.
// They are kept as strings so the bundle carries them; the names match what Kamal's init writes. The first two
// are ejs templates (render.ts): `<%= %>` writes a YAML value, quoted where YAML would read it as something else.

/** Rendered with InitSettings (learn.ts). */
export const DEPLOY_YML = `# yaml-language-server: $schema=<%- schemaPath %>
# Where and how to deploy this app. \`sextant docs\` explains every key; \`sextant config\` shows the result.

# The service name prefixes container names (service-role-version), so keep it short and unique per server.
service: <%= service %>

# The image name, without registry server or tag (the tag is the git commit, or --version).
image: <%= image %>

# Hosts per role. The first role (web unless primary_role says otherwise) runs behind kamal-proxy.
servers:
  web:
    - 192.168.0.1
  # job:
  #   hosts:
  #     - 192.168.0.1
  #   cmd: bin/jobs

# kamal-proxy routes requests for this host name to the web containers and can get a TLS certificate for it.
<%_ if (appPort === undefined) { _%>
# proxy:
#   ssl: true
#   host: app.example.com
#   app_port: 3000
<%_ } else { _%>
proxy:
  # ssl: true
  # host: app.example.com
  app_port: <%= appPort %>
<%_ } _%>

# Where images are pushed and pulled. The password is the name of a secret in .kamal/secrets.
registry:
<%_ if (registry.server === undefined) { _%>
  # server: ghcr.io
<%_ } else { _%>
  server: <%= registry.server %>
<%_ } _%>
  username: <%= registry.username %>
  password:
    - KAMAL_REGISTRY_PASSWORD

# How the image is built. Set arch to what your servers run.
builder:
  arch: amd64

# Environment of the app containers: clear values as written, secret ones by name from .kamal/secrets.
# env:
#   clear:
#     DB_HOST: 192.168.0.2
#   secret:
#     - RAILS_MASTER_KEY

# Shortcuts: \`sextant console\` runs the command the alias stands for; extra arguments are appended.
# aliases:
#   console: app exec --interactive --reuse "bin/console"
#   logs: app logs -f

# Directories on the host mounted into the app containers.
# volumes:
#   - "app_storage:/app/storage"

# Login user on the servers (root by default).
# ssh:
#   user: app

# Services the app needs (databases, caches), booted with \`sextant accessory boot\`.
# accessories:
#   db:
#     image: postgres:16
#     host: 192.168.0.2
#     port: "127.0.0.1:5432:5432"
#     env:
#       secret:
#         - POSTGRES_PASSWORD
#     directories:
#       - data:/var/lib/postgresql/data
`;

/** Rendered with `registryServer`, the registry/server of the config (undefined for Docker Hub). */
export const SECRETS = `# Secrets for config/deploy.yml: registry/password, env/secret, builder/secrets and
# accessories/*/env/secret name them. This file is meant to be committed, so never write a credential
# here: read each one from the environment, a file outside git, or a password manager.
#
# With destinations, .kamal/secrets-common holds what every destination shares and
# .kamal/secrets.<destination> what differs; this file is read only when no destination is given.

# From the environment:
<%_ if (registryServer === "ghcr.io") { _%>
# (for ghcr.io, a GitHub token with the write:packages scope)
<%_ } _%>
# KAMAL_REGISTRY_PASSWORD=$KAMAL_REGISTRY_PASSWORD

# From a command (it runs on every sextant command that needs secrets):
# RAILS_MASTER_KEY=$(cat config/master.key)

# From a password manager, fetched in one call and then picked apart:
# SECRETS=$(sextant secrets fetch --adapter 1password --account my-account --from Vault/Item KAMAL_REGISTRY_PASSWORD RAILS_MASTER_KEY)
# KAMAL_REGISTRY_PASSWORD=$(sextant secrets extract KAMAL_REGISTRY_PASSWORD $SECRETS)
# RAILS_MASTER_KEY=$(sextant secrets extract RAILS_MASTER_KEY $SECRETS)
`;

const ENV_NOTE = `#
# sextant runs hooks on this machine, from the app directory, with these variables set:
#   KAMAL_RECORDED_AT KAMAL_PERFORMER KAMAL_VERSION KAMAL_SERVICE_VERSION KAMAL_SERVICE KAMAL_HOSTS
#   KAMAL_LOCK KAMAL_COMMAND KAMAL_SUBCOMMAND (when there is one) KAMAL_DESTINATION (with -d)
#   KAMAL_ROLES (with -r); post-deploy also gets KAMAL_RUNTIME (seconds).
# A non-zero exit stops the command. Remove ".sample" from the name to enable a hook.
`;

const hook = (what: string, body: string) => `#!/bin/sh
# ${what}
${ENV_NOTE}
${body}
`;

/** name → contents; every file is written with mode 0755. */
export const SAMPLE_HOOKS: Readonly<Record<string, string>> = {
  "docker-setup.sample": hook(
    "Runs once Docker is installed on the servers (`sextant setup`, `sextant server bootstrap`).",
    'echo "Docker is set up on $KAMAL_HOSTS"',
  ),
  "pre-connect.sample": hook(
    "Runs before the first connection to the servers, e.g. to warm DNS or open a VPN.",
    'echo "About to connect to $KAMAL_HOSTS"',
  ),
  "pre-build.sample": hook(
    "Runs before the image is built. This sample refuses to build with uncommitted changes.",
    `if [ -n "$(git status --porcelain)" ]; then
  echo "Commit or stash your changes before deploying" >&2
  exit 1
fi`,
  ),
  "pre-deploy.sample": hook(
    "Runs after the deploy lock is taken and before anything is booted; secrets are in its environment.",
    'echo "Deploying $KAMAL_SERVICE_VERSION to $KAMAL_HOSTS"',
  ),
  "pre-app-boot.sample": hook(
    "Runs before each group of hosts boots the new version ($KAMAL_HOSTS is the group).",
    'echo "Booting $KAMAL_VERSION on $KAMAL_HOSTS"',
  ),
  "post-app-boot.sample": hook(
    "Runs after each group of hosts booted the new version ($KAMAL_HOSTS is the group).",
    'echo "Booted $KAMAL_VERSION on $KAMAL_HOSTS"',
  ),
  "post-deploy.sample": hook(
    "Runs after a deploy or rollback finished and released the lock, e.g. to announce it.",
    'echo "$KAMAL_PERFORMER deployed $KAMAL_SERVICE_VERSION to ${KAMAL_DESTINATION:-all hosts} in $KAMAL_RUNTIME seconds"',
  ),
  "pre-proxy-reboot.sample": hook(
    "Runs before kamal-proxy is rebooted on a group of hosts.",
    'echo "Rebooting kamal-proxy on $KAMAL_HOSTS"',
  ),
  "post-proxy-reboot.sample": hook(
    "Runs after kamal-proxy was rebooted on a group of hosts.",
    'echo "Rebooted kamal-proxy on $KAMAL_HOSTS"',
  ),
};

/**
 * The Kamal release whose behaviour sextant follows (kamal lib/kamal/version.rb): `minimum_version` in a config
 * is compared with it, and `sextant version` names it.
 */
export const KAMAL_VERSION = "2.12.0";

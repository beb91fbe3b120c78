/**
 * The add-on list entry: the file WebThingsIO/addon-list keeps as `addons/<id>.json`, made from
 * manifest.json and one built tarball, so that its version and checksum cannot drift from what
 * is released. The tarball is pure JavaScript (package.sh refuses native code): one package,
 * architecture `any`, for any Node.js version.
 */

/** The manifest.json fields the list reads (the list's own schema checks the rest). */
export interface AddonManifest {
  id: string;
  name: string;
  description: string;
  author: string;
  homepage_url: string;
  version: string;
  default_locale?: string;
  options?: { schema?: unknown };
  gateway_specific_settings: {
    webthings: {
      primary_type: string;
      exec?: string;
      enabled?: boolean;
      strict_min_version?: string;
      strict_max_version?: string;
    };
  };
}

export interface ListPackage {
  architecture: string;
  language: { name: string; versions?: string[] };
  version: string;
  url: string;
  checksum: string;
  gateway: { min: string; max: string };
  /** Only for gateways before 0.10; never written here. */
  api?: { min: number; max: number };
}

export interface ListEntry {
  id: string;
  name: string;
  description: string;
  author: string;
  homepage_url: string;
  license_url: string;
  primary_type: string;
  packages: ListPackage[];
}

/** What the list assumes when manifest.json leaves the gateway range open (tools/check-list.py). */
export const DEFAULT_GATEWAY_MIN = '0.10.0';
export const DEFAULT_GATEWAY_MAX = '*';

/** The list compares authors without an e-mail address ("Jane <jane@example.com>" is "Jane"). */
export function authorName(author: string): string {
  return author.split('<')[0].trim();
}

/**
 * Where a release keeps its files: GitHub's layout under the project's homepage (the repository),
 * with the tag `v<version>`. The licence link points at the tag, so it stays true for that release.
 */
export function releaseUrls(
  homepage: string,
  version: string,
  tarballName: string
): { license: string; tarball: string } {
  const tag = `v${version}`;
  return {
    license: `${homepage}/blob/${tag}/LICENSE`,
    tarball: `${homepage}/releases/download/${tag}/${tarballName}`,
  };
}

/** The entry for `tarballName` (as released) whose SHA-256 is `checksum`. */
export function listEntry(
  manifest: AddonManifest,
  tarballName: string,
  checksum: string
): ListEntry {
  const webthings = manifest.gateway_specific_settings.webthings;
  const urls = releaseUrls(manifest.homepage_url, manifest.version, tarballName);
  return {
    id: manifest.id,
    name: manifest.name,
    description: manifest.description,
    author: authorName(manifest.author),
    homepage_url: manifest.homepage_url,
    license_url: urls.license,
    primary_type: webthings.primary_type,
    packages: [
      {
        architecture: 'any',
        language: { name: 'nodejs', versions: ['any'] },
        version: manifest.version,
        url: urls.tarball,
        checksum,
        gateway: {
          min: webthings.strict_min_version ?? DEFAULT_GATEWAY_MIN,
          max: webthings.strict_max_version ?? DEFAULT_GATEWAY_MAX,
        },
      },
    ],
  };
}

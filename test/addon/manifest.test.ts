/** manifest.json as the gateway reads it: id, version, launch settings, and the settings form. */
import fs from 'fs';
import path from 'path';
import { ADDON_ID } from '../../src/addon/RuleThingsAddon';

const root = path.resolve(__dirname, '../..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'manifest.json'), 'utf8'));
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

describe('manifest.json', () => {
  it('names the add-on as the package and the code do, with the same version', () => {
    expect(manifest).toMatchObject({ manifest_version: 1, id: pkg.name, name: 'Rule Things' });
    expect(manifest.id).toBe(ADDON_ID);
    expect(manifest.version).toBe(pkg.version);
  });

  it('has every field the gateway checks, of the right type (addon-utils validateManifestJson)', () => {
    for (const key of [
      'author',
      'description',
      'homepage_url',
      'id',
      'license',
      'name',
      'version',
    ]) {
      expect(typeof manifest[key]).toBe('string');
    }
    expect(manifest.gateway_specific_settings.webthings).toEqual({
      exec: '{nodeLoader} {path}',
      primary_type: 'adapter',
      strict_min_version: '2.0.0',
      strict_max_version: '*',
    });
  });

  it('registers the Rule Things page: content scripts that exist and that the gateway may serve', () => {
    const files: string[] = manifest.content_scripts.flatMap(
      (script: { css?: string[]; js?: string[] }) => [...(script.css ?? []), ...(script.js ?? [])]
    );
    // Every script and style of the page folder, so no tab is left unloaded.
    const pageFiles = fs
      .readdirSync(path.join(root, 'src/addon/page'))
      .filter((f) => /\.(css|js)$/.test(f))
      .map((f) => `src/addon/page/${f}`);
    expect([...files].sort()).toEqual(pageFiles.sort());
    expect(files).toContain('src/addon/page/rule-things.js');
    for (const file of files) {
      expect(fs.existsSync(path.join(root, file))).toBe(true);
      // As the gateway's extensions controller matches web_accessible_resources (glob-to-regexp).
      const served = manifest.web_accessible_resources.some((glob: string) =>
        new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`).test(file)
      );
      expect(served).toBe(true);
    }
  });

  it('offers every setting with a default where one makes sense', () => {
    const properties = manifest.options.schema.properties;
    expect(Object.keys(properties).sort()).toEqual(
      [
        'accessToken',
        'acceptSelfSigned',
        'gatewayUrl',
        'latitude',
        'loopGuardRate',
        'longitude',
        'rulesFolder',
        'ruleCodeLimitSeconds',
        'timeZone',
      ].sort()
    );
    expect(manifest.options.default.gatewayUrl).toBe('http://127.0.0.1:8080');
    expect(properties.accessToken.description).toContain(
      'Settings → Developer → Create local authorization'
    );
    expect(properties.latitude).toMatchObject({ minimum: -90, maximum: 90 });
  });
});

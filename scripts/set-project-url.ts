/**
 * `npm run set-project-url -- URL`: makes URL (the project's repository, e.g.
 * https://github.com/owner/rule-things) the homepage everywhere it is published: manifest.json's
 * homepage_url, which is where the project keeps it (the add-on list entry derives its licence and
 * download links from it), and package.json's homepage, repository and bugs, which npm's
 * provenance check compares with the repository that built the package. The release workflow
 * runs it with the repository it runs in.
 */
import fs from 'fs';
import path from 'path';

const ROOT = path.resolve(__dirname, '..');

/** A repository URL the add-on list accepts (at least 11 characters) and links can be built on. */
function checkedProjectUrl(url: string | undefined): string {
  if (!url || !/^https:\/\/[^/\s]+\/\S+[^/]$/.test(url) || url.length < 11) {
    throw new Error(
      `expected the repository's https URL without a trailing slash, got ${JSON.stringify(url)}`
    );
  }
  return url;
}

function setManifestHomepage(url: string): void {
  const file = path.join(ROOT, 'manifest.json');
  // Replaced in place so that the rest of the hand-formatted file stays as it is.
  const text = fs
    .readFileSync(file, 'utf8')
    .replace(/("homepage_url":\s*)"[^"]*"/, `$1${JSON.stringify(url)}`);
  if (JSON.parse(text).homepage_url !== url)
    throw new Error('manifest.json has no homepage_url to set');
  fs.writeFileSync(file, text);
}

function setPackageUrls(url: string): void {
  const file = path.join(ROOT, 'package.json');
  const pkg = JSON.parse(fs.readFileSync(file, 'utf8'));
  pkg.homepage = url;
  pkg.repository = { type: 'git', url: `git+${url}.git` };
  pkg.bugs = { url: `${url}/issues` };
  fs.writeFileSync(file, `${JSON.stringify(pkg, null, 2)}\n`);
}

if (require.main === module) {
  try {
    const url = checkedProjectUrl(process.argv[2]);
    setManifestHomepage(url);
    setPackageUrls(url);
    console.log(`set-project-url: ${url} in manifest.json and package.json`);
  } catch (error) {
    console.error(`set-project-url: ${(error as Error).message}`);
    process.exit(1);
  }
}

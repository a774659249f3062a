// The docker CLI against the platform's engine (DOCKER_HOST), for image work.
import { execFileAsync } from "../common/exec-file.ts";

export async function docker(dockerHost: string, args: readonly string[]): Promise<string> {
  const { stdout } = await execFileAsync("docker", [...args], {
    env: { ...process.env, DOCKER_HOST: dockerHost },
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout.trim();
}

/** The image's value of a label, or undefined when the image or the label is absent. */
export async function imageLabel(
  dockerHost: string,
  image: string,
  label: string,
): Promise<string | undefined> {
  const value = await docker(dockerHost, [
    "image",
    "inspect",
    "--format",
    `{{index .Config.Labels "${label}"}}`,
    image,
  ]).catch(() => undefined);
  return value && value !== "<no value>" ? value : undefined;
}

/** Label whose value says which inputs an image was made from: same inputs, no rebuild. */
export const inputsLabel = "org.cloudjobhunt.inputs";

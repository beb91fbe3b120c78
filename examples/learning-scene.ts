/**
 * The seed's scene control that learns by example: set the lights the way you like them, switch
 * the rule's "learn" setting on, and it records their states; pressing Button 2 restores them.
 */
import { Rule, ThingProxy } from 'rule-things';

type Snapshot = Record<string, Record<string, unknown>>;

export default class LearningSceneRule extends Rule {
  static description =
    'record Bedside Ikea Light, Philips HUE 05, 06 and Porch Light when learning is switched on, and restore them when Button 2 is pressed';

  learn = this.setting('learn', false, { title: 'Learn the current scene' });
  scene = this.setting('scene', '{}', { title: 'Learned scene (JSON)' });

  // ThingProxy, not the lights' generated types: a scene restores its properties by name.
  members: ThingProxy[] = [
    this.things.Bedside_Ikea_Light,
    this.things.Philips_HUE_05,
    this.things.Philips_HUE_06,
    this.things.Porch_Light,
  ];

  triggers() {
    return [this.learn, this.things.Button_2.event('pressed')];
  }

  async action(trigger: unknown) {
    if (trigger === this.learn) {
      if (!this.learn.value) return;
      this.scene.value = JSON.stringify(this.snapshot());
      this.learn.value = false;
      return;
    }
    const saved = JSON.parse(this.scene.value) as Snapshot;
    for (const member of this.members) {
      for (const [property, value] of Object.entries(saved[member.title] ?? {})) {
        member[property] = value;
      }
    }
  }

  private snapshot(): Snapshot {
    const scene: Snapshot = {};
    for (const member of this.members) {
      scene[member.title] = { ...member.values };
    }
    return scene;
  }
}

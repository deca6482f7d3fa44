import { shopPlatform } from './shop';

shopPlatform().synth();

import { multiEnvironmentPlatform } from './multi-environment';

multiEnvironmentPlatform().synth();

// Kubernetes protobuf (application/vnd.kubernetes.protobuf) bodies, converted to and from the JSON
// objects the API server works with, using the wire facts in src/api/facts.
export {
  decodeKubernetesProtobuf,
  decodeWatchEventFrames,
  encodeKubernetesProtobuf,
  encodeWatchEventFrame,
  hasProtobufForm,
  type DecodedObject,
} from './kubernetes-protobuf.js';
export { parseGoTime } from './go-time.js';

// Public entry of the PKI: cluster certificates, signing, and kubeconfig files.
export { createCertificateAuthority, signCertificate, describeCertificate, type KeyPairPem, type SignedCertificateRequest } from './certificates.js';
export { loadOrCreateClusterPki, type ClusterPki, type ServingNames } from './cluster-pki.js';
export { adminKubeconfig } from './kubeconfig.js';

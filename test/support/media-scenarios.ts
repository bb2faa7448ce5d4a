/**
 * The steps of a scenario (after its name) that bring an EchoTest PeerConnection up: offer,
 * answer, fake media, webrtcup. Tests append what they check.
 */
export const ECHOTEST_CONNECTED = `requires: { plugins: [janus.plugin.echotest], media: true }
steps:
  - request: create
  - request: { janus: attach, plugin: janus.plugin.echotest }
  - peer: offer
  - request: { janus: message, body: { audio: true, video: true }, jsep: "\${offer}" }
    expect: { janus: event, jsep: { type: answer } }
    save: { answer: jsep }
  - peer: accept
    jsep: "\${answer}"
  - peer: send_media
  - wait: { janus: webrtcup }
`;

// janode ships no type declarations: the capture tests use it as an untyped client.
declare module 'janode' {
  const Janode: any;
  export default Janode;
}
declare module 'janode/plugins/echotest' {
  const plugin: any;
  export default plugin;
}
declare module 'janode/plugins/videoroom' {
  const plugin: any;
  export default plugin;
}

// Failure lab 3: paste the line between the tags into the console of the page that other-origin.sh serves,
// in the browser where you are signed in to the chat. FailureLabsIT runs exactly this line, with its own
// server's port in place of 8081.
// tag::lab[]
new WebSocket('ws://localhost:8081/chat/support')
// end::lab[]

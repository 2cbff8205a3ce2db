// Failure lab 2: paste the line between the tags into the browser's console, on the chat page, signed in.
// It sends thirty messages at once through the page's own form; FailureLabsIT runs exactly this line.
// tag::lab[]
for (let i = 0; i < 30; i++) { document.querySelector('[data-testid=text]').value = 'spam ' + i; document.querySelector('[data-testid=send]').click(); }
// end::lab[]

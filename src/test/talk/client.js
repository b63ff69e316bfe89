// client.js
var qs = document.querySelector.bind(document); // correction 1: bound to document
var inputElem = qs('#input');
var chatAreaElem = qs('#chat');
var sendElem = qs('#send');
var post_chat_message = function(text) {
    // correction 2: the talk elides this body ("// ..."); it shows one line per message
    var line = document.createElement('div'); line.textContent = text; chatAreaElem.appendChild(line);
};

var ws = new WebSocket("ws://localhost:8080/", "ex3");
ws.onopen = function(event) {
    var sendFunc = function() {
        ws.send(input.value); input.value = '';
    }
    sendElem.addEventListener('click', sendFunc);
    inputElem.addEventListener('keypress', function(event) {
        var key = event.which || event.keyCode;
        if (key === 13) { sendFunc(); }
    });
}
ws.onmessage = function(event) { post_chat_message(event.data); };
ws.onclose = function(event) {
    post_chat_message('Connection closed.')
}
// correction 3: the stray closing brace that ended the file is removed

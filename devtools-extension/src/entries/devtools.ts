// The DevTools page: registers the panel; the panel page does all the work.
chrome.devtools.panels.create('Streamtrace', '', 'panel.html');

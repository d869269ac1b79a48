package main

import (
	"locatiedesk/hub/outbox"
	"locatiedesk/ui"
)

// A tablet's window on a hub opens its store through the outbox and shows
// the outbox's state above every screen: shell.FollowConnection(outbox).
var _ ui.Connection = (*outbox.Store)(nil)

package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
)

// jobs is how a screen reaches the store: off the UI goroutine, under the
// screen's context, which ends when the screen closes, is replaced or the
// user signs out. One jobs per screen; dialogs it opens share it.
type jobs struct {
	ctx    context.Context
	cancel context.CancelFunc
	// run starts work off the UI goroutine; tests run it inline, so a tap's
	// effect is drawn when the tap returns.
	run func(func())
	// active marks the user as active (auto-lock); writes do, loads do not,
	// or a list redrawn on every change would keep an idle tablet open.
	active func()
}

func newJobs(parent context.Context, run func(func()), active func()) *jobs {
	ctx, cancel := context.WithCancel(parent)
	return &jobs{ctx: ctx, cancel: cancel, run: run, active: active}
}

// sub is a shorter-lived scope inside the screen (a card, a form): it ends
// with its own close or with the screen.
func (j *jobs) sub() *jobs { return newJobs(j.ctx, j.run, j.active) }

// close ends every load still running; their results are not drawn.
func (j *jobs) close() { j.cancel() }

// write runs a store write off the UI goroutine. The write is not cancelled
// when the screen closes: what the user saved must not be dropped halfway
// because they signed out right after.
func (j *jobs) write(f func(ctx context.Context)) {
	if j.active != nil {
		j.active()
	}
	ctx := context.WithoutCancel(j.ctx)
	j.run(func() { f(ctx) })
}

// latest is one thing a screen shows that a newer load replaces (the list
// of a day): starting a load cancels the one before, so a fast date change
// never draws an older list over a newer one.
type latest struct{ cancel context.CancelFunc }

// stop cancels the load in progress, when what it would draw no longer applies.
func (l *latest) stop() {
	if l.cancel != nil {
		l.cancel()
	}
}

// load reads off the UI goroutine and draws the result on it with fyne.Do,
// unless the screen closed or a newer load into the same slot started
// meanwhile. A nil slot is a load nothing replaces. Call it on the UI
// goroutine; read must only use what it captured, never the screen's fields.
func load[T any](j *jobs, slot *latest, read func(context.Context) (T, error), draw func(T, error)) {
	ctx, cancel := context.WithCancel(j.ctx)
	if slot != nil {
		slot.stop()
		slot.cancel = cancel
	}
	j.run(func() {
		v, err := read(ctx)
		fyne.Do(func() {
			defer cancel()
			if ctx.Err() != nil {
				return // superseded or closed: a newer load or nothing draws
			}
			draw(v, err)
		})
	})
}

// showLoadError tells what a screen could not read. Unlike a failed write
// it does not reload, which would only fail again.
func showLoadError(w fyne.Window, where string, err error) {
	fyne.LogError(where, err)
	showInfo(lang.L("Not loaded"), userMessage(err), w)
}

package ui

import (
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Every dialog of the app follows the office keyboard: its first field has
// the focus when it opens, Enter confirms and Escape cancels. Open dialogs
// with showDialog (or showFormDialog/showConfirm) and use field for their
// text fields: a plain widget.Entry keeps Escape to itself.

// dialogKeys is what Enter and Escape do in the dialog on top.
type dialogKeys struct {
	confirm func() // nil: Enter does nothing
	cancel  func()
}

// keyStacks holds, per window canvas, the keys of the open dialogs, the top
// last, and the canvas's key handler from before the first of them.
var keyStacks = struct {
	sync.Mutex
	of     map[fyne.Canvas][]*dialogKeys
	before map[fyne.Canvas]func(*fyne.KeyEvent)
}{of: map[fyne.Canvas][]*dialogKeys{}, before: map[fyne.Canvas]func(*fyne.KeyEvent){}}

// pushKeys makes Enter and Escape act on a dialog until pop is called.
func pushKeys(c fyne.Canvas, k *dialogKeys) (pop func()) {
	keyStacks.Lock()
	if len(keyStacks.of[c]) == 0 {
		keyStacks.before[c] = c.OnTypedKey()
	}
	keyStacks.of[c] = append(keyStacks.of[c], k)
	keyStacks.Unlock()
	c.SetOnTypedKey(func(e *fyne.KeyEvent) {
		if top := topKeys(c); top != nil {
			top.typed(e)
		}
	})
	return func() {
		keyStacks.Lock()
		defer keyStacks.Unlock()
		stack := keyStacks.of[c]
		for i := len(stack) - 1; i >= 0; i-- {
			if stack[i] == k {
				stack = append(stack[:i:i], stack[i+1:]...)
				break
			}
		}
		if len(stack) == 0 {
			c.SetOnTypedKey(keyStacks.before[c])
			delete(keyStacks.of, c)
			delete(keyStacks.before, c)
			return
		}
		keyStacks.of[c] = stack
	}
}

func topKeys(c fyne.Canvas) *dialogKeys {
	keyStacks.Lock()
	defer keyStacks.Unlock()
	if stack := keyStacks.of[c]; len(stack) > 0 {
		return stack[len(stack)-1]
	}
	return nil
}

// typed handles a key that no field took; it reports whether it was Enter or Escape.
func (k *dialogKeys) typed(e *fyne.KeyEvent) bool {
	switch e.Name {
	case fyne.KeyEscape:
		k.cancel()
	case fyne.KeyReturn, fyne.KeyEnter:
		if k.confirm != nil {
			k.confirm()
		}
	default:
		return false
	}
	return true
}

// showDialog shows d with the keyboard's habits: first (may be nil) gets
// the focus, Enter runs confirm (nil: nothing) and Escape closes d as its
// Cancel button does.
func showDialog(w fyne.Window, d dialog.Dialog, confirm func(), first fyne.Focusable) {
	showDialogThen(w, d, confirm, first, nil)
}

// showDialogThen is showDialog for a dialog that must also run closed when it
// closes (Fyne keeps one close callback, and the key stack needs it).
func showDialogThen(w fyne.Window, d dialog.Dialog, confirm func(), first fyne.Focusable, closed func()) {
	pop := pushKeys(w.Canvas(), &dialogKeys{confirm: confirm, cancel: d.Hide})
	d.SetOnClosed(func() {
		pop()
		if closed != nil {
			closed()
		}
	})
	d.Show()
	if first != nil {
		w.Canvas().Focus(first)
	}
}

// showConfirm asks a yes/no question; Enter answers yes, Escape no.
func showConfirm(w fyne.Window, title, message string, answered func(bool)) {
	d := dialog.NewConfirm(title, message, answered, w)
	showDialog(w, d, d.Confirm, nil)
}

// field is a text field for dialogs: Escape in it cancels the dialog, and
// Enter in a one-line field confirms it.
type field struct {
	widget.Entry
}

// newField is a one-line field; placeholder is example text that is shown
// greyed while the field is empty and is never saved.
func newField(placeholder string) *field {
	f := &field{}
	f.PlaceHolder = placeholder
	f.Wrapping = fyne.TextWrap(fyne.TextTruncateClip)
	f.ExtendBaseWidget(f)
	return f
}

// newMultiLineField is a field of several lines, rows high: Enter starts a new line.
func newMultiLineField(placeholder string, rows int) *field {
	f := newField(placeholder)
	f.MultiLine, f.Wrapping = true, fyne.TextWrapWord
	f.SetMinRowsVisible(rows)
	return f
}

// TypedKey hands Escape, and Enter on one line, to the dialog the field is in.
func (f *field) TypedKey(e *fyne.KeyEvent) {
	if passKey(f, e, !f.MultiLine && f.OnSubmitted == nil) {
		return
	}
	f.Entry.TypedKey(e)
}

// passKey hands Escape, and Enter when enter is set, from a focused widget
// to the dialog it is in; it reports whether the dialog took the key.
func passKey(obj fyne.CanvasObject, e *fyne.KeyEvent, enter bool) bool {
	isEnter := e.Name == fyne.KeyReturn || e.Name == fyne.KeyEnter
	if e.Name != fyne.KeyEscape && !(enter && isEnter) {
		return false
	}
	c := fyne.CurrentApp().Driver().CanvasForObject(obj)
	if c == nil {
		return false
	}
	k := topKeys(c)
	return k != nil && k.typed(e)
}

// picker is a widget.Select for dialogs: Escape cancels the dialog and
// Enter confirms it (Space or the arrow keys open the list).
type picker struct {
	widget.Select
}

// newPicker is a picker showing placeholder until something is chosen.
func newPicker(placeholder string, changed func(string)) *picker {
	p := &picker{}
	p.PlaceHolder, p.OnChanged = placeholder, changed
	p.ExtendBaseWidget(p)
	return p
}

// TypedKey hands Escape and Enter to the dialog the picker is in.
func (p *picker) TypedKey(e *fyne.KeyEvent) {
	if passKey(p, e, true) {
		return
	}
	p.Select.TypedKey(e)
}

// tick is a widget.Check for dialogs: Space ticks, Escape cancels the
// dialog and Enter confirms it.
type tick struct {
	widget.Check
}

func newTick(text string, checked bool) *tick {
	t := &tick{}
	t.Text, t.Checked = text, checked
	t.ExtendBaseWidget(t)
	return t
}

// TypedKey hands Escape and Enter to the dialog the tick is in.
func (t *tick) TypedKey(e *fyne.KeyEvent) {
	if passKey(t, e, true) {
		return
	}
	t.Check.TypedKey(e)
}

// formDialog is a dialog of labelled fields with Cancel and a confirming
// button, both big enough for a finger. When the input is refused the
// dialog stays open with the problem named and everything typed kept.
type formDialog struct {
	window  fyne.Window
	dialog  *dialog.CustomDialog
	form    *widget.Form
	problem *widget.Label
	confirm *widget.Button
	cancel  *widget.Button
	// check reads the input: a problem keeps the dialog open; else the
	// dialog closes and then runs save (closing first keeps a message
	// that saving shows in sight).
	check func() (save func(), problem string)
	// size is the size asked for; the window may give less.
	size fyne.Size
}

// newFormDialog makes a dialog of items; show it with show.
func newFormDialog(w fyne.Window, title, confirmText string, items []*widget.FormItem, check func() (save func(), problem string)) *formDialog {
	f := &formDialog{window: w, form: widget.NewForm(items...), check: check, size: fyne.NewSize(520, 0)}
	f.problem = &widget.Label{Importance: widget.DangerImportance, Wrapping: fyne.TextWrapWord}
	f.problem.Hide()
	var confirmBox, cancelBox fyne.CanvasObject
	f.confirm, confirmBox = newTouchButton(confirmText, theme.ConfirmIcon(), f.onConfirm)
	f.confirm.Importance = widget.HighImportance
	f.cancel, cancelBox = newTouchButton(lang.L("Cancel"), theme.CancelIcon(), func() { f.dialog.Hide() })
	content := container.NewBorder(nil, container.NewVBox(f.problem, container.NewHBox(layout.NewSpacer(), cancelBox, confirmBox)),
		nil, nil, f.form)
	f.dialog = dialog.NewCustomWithoutButtons(title, content, w)
	return f
}

// showFormDialog makes and shows a form dialog, the first item's field focused.
func showFormDialog(w fyne.Window, title, confirmText string, items []*widget.FormItem, check func() (save func(), problem string)) *formDialog {
	f := newFormDialog(w, title, confirmText, items, check)
	f.show()
	return f
}

func (f *formDialog) show() {
	f.fit()
	showDialog(f.window, f.dialog, f.onConfirm, firstField(f.form.Items))
}

// fit sizes the dialog for what it shows now, within the window.
func (f *formDialog) fit() {
	f.dialog.Resize(fitDialog(f.window, f.size.Max(f.dialog.MinSize())))
}

func (f *formDialog) onConfirm() {
	if f.confirm.Disabled() {
		return
	}
	var save func()
	problem := ""
	if err := f.form.Validate(); err != nil {
		problem = err.Error()
	} else {
		save, problem = f.check()
	}
	if problem != "" {
		f.problem.SetText(problem)
		f.problem.Show()
		f.fit()
		return
	}
	f.dialog.Hide()
	if save != nil {
		save()
	}
}

// firstField is the first item that takes typing, to focus when a dialog opens.
func firstField(items []*widget.FormItem) fyne.Focusable {
	for _, it := range items {
		if f, ok := it.Widget.(fyne.Focusable); ok {
			if d, ok := it.Widget.(fyne.Disableable); ok && d.Disabled() {
				continue
			}
			return f
		}
	}
	return nil
}

// showPlain shows content with a Close button; Enter or Escape closes it
// too, and then closed runs.
func showPlain(w fyne.Window, title string, content fyne.CanvasObject, closed func()) {
	d := dialog.NewCustomWithoutButtons(title, content, w)
	// A finger's Close, as on the child's card: the standard one is small.
	_, closeButton := newTouchButton(lang.L("Close"), theme.CancelIcon(), func() { d.Hide() })
	d.SetButtons([]fyne.CanvasObject{touchable(closeButton, 160)})
	d.Resize(fitDialog(w, fyne.NewSize(520, 0).Max(d.MinSize())))
	showDialogThen(w, d, d.Hide, nil, closed)
}

// showInfo tells the user something; Enter or Escape closes it, as OK does.
func showInfo(title, message string, w fyne.Window) {
	d := dialog.NewInformation(title, message, w)
	showDialog(w, d, d.Hide, nil)
}

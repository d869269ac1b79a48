package ui

import (
	"context"
	"errors"
	"net"
	"net/url"
	"os"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"locatiedesk/data"
	"locatiedesk/hub/discover"
)

// Connector is how a device reaches its location's hub: it lists the hubs
// that announce themselves on the network and pairs this device with one
// by the one-time code a manager made, then gives the hub's store. The
// command (cmd/locatiedesk) gives the real one; tests give a fake.
type Connector interface {
	Browse(ctx context.Context) ([]discover.Hub, error)
	Pair(ctx context.Context, hubURL, code, deviceName string) (data.Store, error)
}

// defaultHubPort is the port `locatiedesk serve` and the window's hub answer on.
const defaultHubPort = "7443"

// connectScreen is the first start of a tablet or a second computer: the
// hubs found on the network, each a big button, and typing an address for
// a hub that is not found; then the one-time code from the manager.
type connectScreen struct {
	window    fyne.Window
	connector Connector
	jobs      *jobs
	onBack    func()
	onPaired  func(data.Store)

	scroll   *container.Scroll
	hubs     *fyne.Container
	status   *widget.Label
	message  *widget.Label
	searchAt latest
	popKeys  func()
}

func newConnectScreen(w fyne.Window, c Connector, j *jobs, onBack func(), onPaired func(data.Store)) *connectScreen {
	return &connectScreen{window: w, connector: c, jobs: j, onBack: onBack, onPaired: onPaired}
}

func (s *connectScreen) buildUI() fyne.CanvasObject {
	title := &widget.Label{Text: lang.L("Connect to the location's computer"), TextStyle: fyne.TextStyle{Bold: true}, Alignment: fyne.TextAlignCenter}
	intro := &widget.Label{Text: lang.L("This device works on the data of the location's computer (the hub). Choose it below, or type its address. The location manager gives you a one-time code for it."),
		Wrapping: fyne.TextWrapWord}
	s.hubs = container.NewVBox()
	s.status = &widget.Label{Wrapping: fyne.TextWrapWord, Alignment: fyne.TextAlignCenter}
	s.message = &widget.Label{Wrapping: fyne.TextWrapWord, Importance: widget.DangerImportance}
	_, search := newTouchButton(lang.L("Search again"), theme.SearchIcon(), s.search)
	_, typed := newTouchButton(lang.L("Type an address"), theme.ComputerIcon(), func() { s.askCode(discover.Hub{}) })
	_, back := newTouchButton(lang.L("Back"), theme.NavigateBackIcon(), s.back)
	body := container.NewVBox(intro, s.status, s.hubs, container.NewGridWithColumns(2, search, typed), s.message)
	s.popKeys = pushKeys(s.window.Canvas(), &dialogKeys{cancel: s.back})
	s.scroll = container.NewVScroll(container.NewPadded(container.New(minSizeLayout{fyne.NewSize(320, 0)}, body)))
	s.search()
	return container.NewBorder(title, container.NewPadded(back), nil, nil, s.scroll)
}

// back leaves the screen for the first-start choice.
func (s *connectScreen) back() {
	s.leave()
	s.onBack()
}

// leave gives Enter and Escape back and stops a search under way.
func (s *connectScreen) leave() {
	s.searchAt.stop()
	if s.popKeys != nil {
		s.popKeys()
		s.popKeys = nil
	}
}

// search lists the hubs that answer on the network within a few seconds.
func (s *connectScreen) search() {
	s.status.SetText(lang.L("Looking for the location's computer on the network…"))
	s.hubs.RemoveAll()
	load(s.jobs, &s.searchAt, s.connector.Browse, s.showHubs)
}

func (s *connectScreen) showHubs(hubs []discover.Hub, err error) {
	s.hubs.RemoveAll()
	switch {
	case err != nil:
		fyne.LogError("looking for hubs", err)
		s.status.SetText(lang.L("Looking on the network did not work. Type the address the location manager gives you."))
	case len(hubs) == 0:
		s.status.SetText(lang.L("No location's computer answered. Is it on, and on the same network? You can also type its address."))
	default:
		s.status.SetText(lang.L("Found on the network:"))
	}
	for _, h := range hubs {
		b, box := newTouchButton(h.Title()+" · "+hostOf(h.URL), theme.ComputerIcon(), func() { s.askCode(h) })
		b.Alignment = widget.ButtonAlignLeading
		b.Importance = widget.HighImportance
		s.hubs.Add(box)
	}
	s.scroll.Refresh() // the list's height changed
}

// askCode asks for the hub's address (filled in when it was found), the
// one-time code and this device's name; Enter pairs, Escape cancels.
func (s *connectScreen) askCode(h discover.Hub) {
	address := newField(lang.L("For example kantoor.local or 192.168.1.10"))
	address.SetText(hostOf(h.URL))
	code := newField("XXXXX-XXXXX")
	name := newField(lang.L("For example Tablet Rupsjes"))
	name.SetText(deviceName())
	s.showCodeForm(h, address, code, name, "")
}

func (s *connectScreen) showCodeForm(h discover.Hub, address, code, name *field, problem string) {
	title := lang.L("Connect")
	if h.Name != "" {
		title = h.Title()
	}
	items := []*widget.FormItem{
		// The code first: it is what everybody types; the address is filled
		// in when the hub was found.
		{Text: lang.L("Pairing code"), Widget: code, HintText: lang.L("The manager makes it under Devices, Pair a tablet; it is valid for 10 minutes")},
		{Text: lang.L("Address"), Widget: address},
		{Text: lang.L("This device"), Widget: name, HintText: lang.L("How the manager sees this device in the list")},
	}
	d := newFormDialog(s.window, title, lang.L("Connect"), items, func() (func(), string) {
		hubURL, err := hubURL(address.Text)
		if err != nil {
			return nil, lang.L("Type the address as the location manager gives it, for example kantoor.local or 192.168.1.10:7443.")
		}
		normalized, err := data.NormalizePairingCode(code.Text)
		if err != nil {
			return nil, userMessage(err)
		}
		if strings.TrimSpace(name.Text) == "" {
			return nil, lang.L("Give this device a name, so that the manager knows it in the list.")
		}
		device := strings.TrimSpace(name.Text)
		return func() { s.pair(h, address, code, name, hubURL, normalized, device) }, ""
	})
	if problem != "" {
		d.problem.SetText(problem)
		d.problem.Show()
	}
	d.show()
}

// pair pairs off the UI goroutine; a refusal opens the form again with
// what was typed and why.
func (s *connectScreen) pair(h discover.Hub, address, code, name *field, hubURL, normalized, device string) {
	found := s.status.Text
	s.status.SetText(lang.L("Connecting…"))
	connector := s.connector
	s.jobs.write(func(ctx context.Context) {
		store, err := connector.Pair(ctx, hubURL, normalized, device)
		fyne.Do(func() {
			s.status.SetText(found)
			if err != nil {
				fyne.LogError("pairing", err)
				s.showCodeForm(h, address, code, name, pairingProblem(err))
				return
			}
			s.leave()
			s.onPaired(store)
		})
	})
}

// pairingProblem says why pairing failed in words for the person at the
// tablet: the hub's refusal of the code as it words it, or the network's.
func pairingProblem(err error) string {
	var refusal *data.Refusal
	switch {
	case errors.As(err, &refusal):
		return userMessage(err)
	case errors.Is(err, context.DeadlineExceeded):
		return lang.L("The hub did not answer. Check the address and that this device is on the location's network.")
	}
	return lang.L("Not connected:") + " " + userMessage(err)
}

// hubURL reads an address as people type it ("kantoor.local",
// "192.168.1.10:7443", "https://kantoor:7443/") into the hub's URL.
func hubURL(text string) (string, error) {
	text = strings.TrimSpace(text)
	text = strings.TrimPrefix(strings.TrimPrefix(text, "https://"), "http://")
	text = strings.TrimRight(text, "/")
	if text == "" || strings.ContainsAny(text, "/ ") {
		return "", data.Invalid("no hub address: %q", text)
	}
	host, port, err := net.SplitHostPort(text)
	if err != nil {
		host, port = strings.Trim(text, "[]"), defaultHubPort
	}
	if host == "" {
		return "", data.Invalid("no host in %q", text)
	}
	u := url.URL{Scheme: "https", Host: net.JoinHostPort(host, port)}
	return u.String(), nil
}

// hostOf is a hub's URL as people type it: host and port.
func hostOf(hubURL string) string {
	u, err := url.Parse(hubURL)
	if err != nil {
		return hubURL
	}
	return u.Host
}

// deviceName is this computer's name, as a first guess of the device's.
func deviceName() string {
	name, err := os.Hostname()
	if err != nil {
		return ""
	}
	return strings.SplitN(name, ".", 2)[0]
}

package followup

import (
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Draft is what a rep's free-text message says, before the customer is looked up.
type Draft struct {
	CustomerHints []string // candidate phrases naming the customer, best first; may be empty
	Summary       string   // what happened (the message up to the next-step marker, tidied)
	Method        Method   // "" when not stated
	Mood          Mood     // "" when not stated
	NextAction    string   // the next step with its date phrase removed; "" when none
	Due           *Due     // nil when the next step names no date
}

// ParseMessage reads what a rep writes to the bot in their own words, such as
// "Called Acme, they want a demo; next: send the deck Friday" or
// "拜访了百川商贸，下一步：下周一报价", relative to now in loc.
//
// Slack's formatting is undone first: links become their label, mentions go, and
// &amp; &lt; &gt; become & < >. The next step starts at the markers ParseQuickLog
// knows ("next:", "next step", 下一步) and its due date is read and cut out the same
// way. A step that is nothing but a date ("next: Friday") keeps its words as the
// action, so that the date is not lost. Method and mood are detected in the summary
// only, so that "next: zoom call" says nothing about what already happened.
//
// Hints come best first: customer codes (C202405001), the customer of the quick-log
// form "<customer>: ..." (a short name without sentence punctuation before the
// colon), the objects of contact verbs ("met with Globex", "拜访了百川商贸",
// "给百川商贸打电话"), then runs of capitalised words ("Acme Trading Co"). Each is
// a substring of the unescaped text. An empty or blank message gives a zero Draft.
func ParseMessage(text string, now time.Time, loc *time.Location) Draft {
	text = strings.TrimSpace(slackUnescape(text))
	if text == "" {
		return Draft{}
	}
	customer, body := messageCustomer(text)
	summary, next := splitNextStep(body)
	summary = strings.TrimRightFunc(summary, quickLogIsSeparator)
	d := Draft{Summary: summary, CustomerHints: customerHints(text, customer, summary, next)}
	d.Method, _ = DetectMethod(summary)
	d.Mood, _ = DetectMood(summary)
	d.NextAction, d.Due = parseNextStep(next, now, loc)
	if d.NextAction == "" && d.Due != nil {
		d.NextAction = quickLogTidy(next)
	}
	return d
}

// slackUnescape turns Slack's wire format back into what the rep typed:
// <mailto:a@b.c|a@b.c> and <http://x|label> become their label, a link without
// one its address, <#C1|sales> #sales, <!subteam^S1|@team> @team; user mentions and
// <!here> go. &lt; &gt; &amp; are decoded last, since Slack escapes those three in
// what users type, so a literal "&lt;@U1&gt;" stays text.
func slackUnescape(text string) string {
	var b strings.Builder
	for {
		open := strings.IndexByte(text, '<')
		if open < 0 {
			break
		}
		closing := strings.IndexByte(text[open:], '>')
		if closing < 0 {
			break // no later '<' can close either
		}
		inner := text[open+1 : open+closing]
		if i := strings.LastIndexByte(inner, '<'); i >= 0 {
			// Not ours: keep the first '<' and try again from the inner one.
			b.WriteString(text[:open+1+i])
			text = text[open+1+i:]
			continue
		}
		b.WriteString(text[:open])
		b.WriteString(slackControl(inner))
		text = text[open+closing+1:]
	}
	b.WriteString(text)
	return slackEntities.Replace(b.String())
}

var slackEntities = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&")

// slackControl renders the inside of one <...> sequence.
func slackControl(inner string) string {
	target, label, hasLabel := strings.Cut(inner, "|")
	switch {
	case strings.HasPrefix(target, "@"), strings.HasPrefix(target, "!") && !hasLabel:
		return "" // a mention names the bot or a colleague, never the customer
	case hasLabel && strings.HasPrefix(target, "#"):
		return "#" + label
	case hasLabel:
		return label
	case strings.HasPrefix(target, "#"):
		return ""
	}
	return strings.TrimPrefix(target, "mailto:")
}

// messageCustomer splits off the customer of the quick-log form "<customer>: ...".
// It returns "" and the whole text when the part before the colon does not look
// like a customer: a sentence ("Called Acme, they want a demo; next: ..."), a
// contact verb ("Met Globex: ..."), or a label ("Update: ...").
func messageCustomer(text string) (customer, rest string) {
	colon, width := quickLogCustomerColon(messageColonMask.ReplaceAllStringFunc(text, func(m string) string {
		return strings.Repeat("_", len(m))
	}))
	if colon < 0 {
		return "", text
	}
	customer = strings.TrimSpace(text[:colon])
	if !messageLooksLikeCustomer(customer) {
		return "", text
	}
	return customer, text[colon+width:]
}

// messageColonMask finds colons that cannot end a customer: those of Slack emoji
// (:tada:, :+1:) and of addresses (https://).
var messageColonMask = regexp.MustCompile(`:[a-z0-9_+-]*[a-z+][a-z0-9_+-]*:|://`)

// messageLabels are words reps put before a colon that are not customers.
var messageLabels = wordSet("update fyi note notes re summary log recap followup follow-up today yesterday " +
	"跟进 更新 备注 记录 今天 昨天 总结 汇报 进展 跟进记录")

// messageLooksLikeCustomer reports whether s, the part before the colon, can be a
// customer's name or code rather than the start of a sentence.
func messageLooksLikeCustomer(s string) bool {
	f := dueFold(s).s
	switch {
	case s == "" || utf8.RuneCountInString(s) > 60:
		return false
	case strings.ContainsAny(f, ",;!?。、\n") || strings.Contains(f, ". "):
		return false // a sentence, not a name
	case quickLogEndsInMarker.MatchString(f), messageLabels[f]:
		return false
	case slices.ContainsFunc(methodCues, func(c methodCue) bool { return strings.EqualFold(c.phrase, s) }):
		return false // "Phone call: ..." says how, not who
	}
	return len(contactObjects(s)) == 0 // "Met Globex: ..." is a sentence too
}

// customerHints lists the phrases that may name the customer, best first, without
// repeats (ignoring case).
func customerHints(text, customer, summary, next string) []string {
	var h hintList
	for _, code := range customerCode.FindAllString(text, -1) {
		h.add(code)
	}
	h.add(customer)
	for _, part := range []string{summary, next} {
		h.add(contactObjects(part)...)
		h.add(capitalisedRuns(part)...)
	}
	return h.hints
}

// customerCode matches the codes customers get (C + year + month + sequence).
var customerCode = regexp.MustCompile(`(?i)\bC\d{9}\b`)

// maxHints bounds the hints of one message: the bot looks up only the first few,
// and a long text full of names must not make a long list.
const maxHints = 10

// hintList collects hints, tidied and without repeats.
type hintList struct{ hints []string }

func (h *hintList) add(hints ...string) {
	for _, s := range hints {
		s = strings.TrimFunc(s, func(r rune) bool {
			// "Acme Trading Co." is looked up as "Acme Trading Co"; brackets stay paired.
			return unicode.IsSpace(r) || unicode.IsSymbol(r) || strings.ContainsRune(`.,;:!?。，；：！？、…'"“”‘’`, r)
		})
		if s == "" || len(h.hints) == maxHints || utf8.RuneCountInString(s) > 60 ||
			slices.ContainsFunc(h.hints, func(k string) bool { return strings.EqualFold(k, s) }) {
			continue
		}
		h.hints = append(h.hints, s)
	}
}

// wordSet makes a set of the space-separated words in s.
func wordSet(s string) map[string]bool {
	set := map[string]bool{}
	for _, w := range strings.Fields(s) {
		set[w] = true
	}
	return set
}

// A contact verb is followed by the one contacted: "called Acme", "met with
// Globex", 拜访了百川商贸. English verbs match whole words, in any case.
var (
	englishContactVerbs = []string{
		"called", "phoned", "rang", "emailed", "e-mailed", "texted", "messaged", "pinged", "wechatted",
		"whatsapped", "contacted", "visited", "met", "met with", "met up with", "sat down with", "saw",
		"spoke to", "spoke with", "talked to", "talked with", "chatted with", "caught up with",
		"followed up with", "reached out to", "heard from", "heard back from", "went to", "went to see",
		"dropped by", "stopped by", "demoed", "call with", "call to", "call from", "email to", "email from",
		"meeting with", "visit to", "demo for", "demo with", "lunch with", "dinner with", "coffee with",
	}
	chineseContactVerbs = []string{
		"拜访", "拜会", "走访", "回访", "联系", "致电", "约见", "会见", "面见", "接待", "宴请", "见了", "见到", "打给", "电话给",
	}
)

// contactObjects returns the objects of the contact verbs in text, in text order.
func contactObjects(text string) []string {
	t := newCueText(text)
	found := append(englishObjects(t), chineseObjects(t)...)
	slices.SortStableFunc(found, func(a, b dueSpan) int { return a.start - b.start })
	objects := make([]string, len(found))
	for i, sp := range found {
		objects[i] = text[t.orig[sp.start]:t.orig[sp.end]]
	}
	return objects
}

// englishObjects returns the spans, in t.lower, of the objects of English contact verbs.
func englishObjects(t cueText) []dueSpan {
	var verbs []dueSpan
	for _, v := range englishContactVerbs {
		t.each(v, false, func(start, end int) { verbs = append(verbs, dueSpan{start, end}) })
	}
	// Of verbs starting at the same place the longest wins ("met with" over "met").
	slices.SortFunc(verbs, func(a, b dueSpan) int {
		if a.start != b.start {
			return a.start - b.start
		}
		return b.end - a.end
	})
	var objects []dueSpan
	last := -1
	for _, v := range verbs {
		if v.start < last {
			continue
		}
		last = v.end
		if o, ok := englishObject(t.lower, v.end); ok {
			objects = append(objects, o)
		}
	}
	return objects
}

// Words around the object of an English contact verb, lower case.
var (
	// objectSkip may come before the name: "visited the client Acme".
	objectSkip = wordSet("the a an our their his my client customer prospect company")
	// objectNotName, first after the verb, means no name follows: "called them back".
	objectNotName = wordSet("them him her it us me you everyone everybody someone somebody back up out again " +
		"buyer buyers boss manager owner ceo cto cfo coo vp procurement purchasing team contact rep people guys " +
		"folks office site there here home twice once")
	// objectEnd ends the name: "met with Globex today", "called Wang about pricing".
	objectEnd = wordSet("today yesterday tonight this last earlier again on at about re regarding and but to for " +
		"from of in into with by via over who which that because since as after before when while they he she we i " +
		"then so or around just briefly yet all both is are was were has have had said says wants want asked " +
		"the a an some our their your my his her " +
		"morning afternoon evening")
	honorifics = wordSet("mr mrs ms dr")
)

// englishObject returns the name that follows a contact verb ending at i in s:
// up to five words, without a leading article, ending at punctuation or at a word
// that cannot be part of a name.
func englishObject(s string, i int) (dueSpan, bool) {
	obj := dueSpan{-1, -1}
	for words := 0; words < 5; {
		ws := skipBlanks(s, i)
		if ws == i || ws == len(s) {
			break // a verb or word followed by punctuation, or the end
		}
		we := wordEnd(s, ws)
		if we == ws {
			break
		}
		word := s[ws:we]
		if strings.Contains(word, "@") || strings.HasPrefix(s[we:], "://") {
			break // an address, not a name
		}
		if honorifics[word] && strings.HasPrefix(s[we:], ".") {
			we++ // "Mr. Wang" is one name
		}
		stem := strings.TrimSuffix(strings.TrimSuffix(word, "'s"), "’s")
		switch {
		case obj.start < 0 && objectSkip[word]:
			i = we
			continue
		case objectEnd[stem]:
			return obj, obj.start >= 0
		case obj.start < 0 && objectNotName[stem]:
			return obj, false
		}
		if obj.start < 0 {
			obj.start = ws
		}
		obj.end, i = ws+len(stem), we
		words++
		if len(stem) < len(word) {
			break // "called Acme's CFO": the company is Acme
		}
	}
	return obj, obj.start >= 0
}

// skipBlanks returns the offset of the first byte at or after i that is not a space or tab.
func skipBlanks(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	return i
}

// wordEnd returns where the word starting at i ends. A word holds letters, digits
// and & ' ’ - _ @, and dots between letters ("acme.com"), so "Co." ends before its dot.
// Chinese and English written together are separate words: 跟Acme的Wang开会.
func wordEnd(s string, i int) int {
	first, _ := utf8.DecodeRuneInString(s[i:])
	han := unicode.Is(unicode.Han, first)
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if unicode.Is(unicode.Han, r) != han {
			break
		}
		if r == '.' {
			next, _ := utf8.DecodeRuneInString(s[i+n:])
			if !unicode.IsLetter(next) && !unicode.IsDigit(next) {
				break
			}
		} else if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !strings.ContainsRune("&'’-_@", r) {
			break
		}
		i += n
	}
	return i
}

// chinesePrepContact is the other Chinese way to name the one contacted: 给X打电话,
// 和王总沟通, 跟百川商贸的李经理开会. It is matched right after the preposition, on a
// window long enough for the longest name, so that a long text is read once.
var chinesePrepContact = regexp.MustCompile(`^([\p{Han}a-z0-9&·]{2,20}?)(?:的[\p{Han}a-z]{1,8}?)?` +
	`(?:打了?个?电话|通了?个?电话|打了?个?视频|发了?个?(?:邮件|短信|微信|消息|信息)|沟通|联系|见面|见了|开会|开了?个?会|会面|面谈|视频|聊|谈|通话|交流|确认|汇报|介绍|演示)`)

// The prepositions of chinesePrepContact, and the verbs that follow a customer who
// came to us or rang (王总来访, 百川商贸来电).
var (
	chinesePrepositions = []string{"给", "跟", "和", "与", "同", "向"}
	chineseVisitorVerbs = []string{"来访", "到访", "来电", "来公司", "来我司", "来我们公司"}
)

// chineseClauseOpeners may come right before the name or the preposition that
// introduces it: subjects and times (我们跟..., 下午王总来访).
var chineseClauseOpeners = []string{
	"我们", "我", "今天", "昨天", "上午", "下午", "晚上", "中午", "早上", "刚才", "刚刚", "刚", "已经", "已", "先", "又", "再", "主动",
}

// chineseClauseStart reports whether a name or preposition may start after head:
// at the start of a clause or after a subject or time word, so that the 和 of
// 价格和交期 does not count.
func chineseClauseStart(head string) bool {
	r, _ := utf8.DecodeLastRuneInString(head)
	return head == "" || unicode.IsSpace(r) || strings.ContainsRune(",.;:!?。、", r) ||
		slices.ContainsFunc(chineseClauseOpeners, func(w string) bool { return strings.HasSuffix(head, w) })
}

// chinesePrepObjects returns the names introduced by a preposition: 给百川商贸打电话.
func chinesePrepObjects(s string) []dueSpan {
	var objects []dueSpan
	eachIndex(s, chinesePrepositions, func(i, end int) {
		if !chineseClauseStart(s[:i]) {
			return
		}
		m := chinesePrepContact.FindStringSubmatchIndex(s[end:min(len(s), end+200)])
		if m != nil && !chinesePronouns[s[end+m[2]:end+m[3]]] {
			objects = append(objects, dueSpan{end + m[2], end + m[3]})
		}
	})
	return objects
}

// chineseVisitors returns the names of customers who came to us or rang: the
// shortest run of two to twelve name characters before the verb that starts a clause.
func chineseVisitors(s string) []dueSpan {
	var objects []dueSpan
	eachIndex(s, chineseVisitorVerbs, func(verb, _ int) {
		start, runes := verb, 0
		for start > 0 && runes < 12 {
			r, n := utf8.DecodeLastRuneInString(s[:start])
			if !isNameRune(r) {
				break
			}
			start, runes = start-n, runes+1
			if runes >= 2 && chineseClauseStart(s[:start]) {
				if !chinesePronouns[s[start:verb]] {
					objects = append(objects, dueSpan{start, verb})
				}
				return
			}
		}
	})
	return objects
}

// chinesePronouns stand where a name could: 和他们沟通, 客户来访.
var chinesePronouns = wordSet("他们 她们 对方 客户 客人 大家 我们")

// eachIndex calls fn with the span of every occurrence in s of each of words.
func eachIndex(s string, words []string, fn func(start, end int)) {
	for _, w := range words {
		for from := 0; ; {
			i := strings.Index(s[from:], w)
			if i < 0 {
				break
			}
			start := from + i
			from = start + len(w)
			fn(start, from)
		}
	}
}

// isNameRune reports whether r can be part of a Chinese name: 百川商贸, ABC公司, 王总.
func isNameRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("&·-_", r)
}

// chineseObjectStops end the object of a Chinese contact verb: 拜访了百川商贸的王总,
// 联系了王总沟通报价. They count from the third character on, since no name is shorter
// than two and some start with one of them (时代集团); a word of two or more right
// after the verb means no name follows (拜访采购部).
var chineseObjectStops = []string{
	"的", "并", "和", "与", "跟", "及", "对", "就", "在", "时", "后", "说", "谈", "聊", "问", "了", "很", "签", "想", "要",
	"都", "也", "还", "已", "又", "再", "把", "给", "让", "是", "沟通", "讨论", "介绍", "演示", "商谈", "洽谈", "确认",
	"对方", "他们", "她们", "今天", "昨天", "上午", "下午", "晚上", "中午", "早上", "关于", "表示", "反馈", "参观", "开会",
	"见面", "一起", "提出", "希望", "需要", "询问", "告知", "报价", "电话", "非常", "面谈", "一下", "一趟", "交流", "汇报",
	"协商", "采购", "负责人",
}

// chineseObjects returns the spans, in t.lower, of the names that Chinese contact
// verbs and prepositions introduce.
func chineseObjects(t cueText) []dueSpan {
	var objects []dueSpan
	eachIndex(t.lower, chineseContactVerbs, func(_, end int) {
		if chineseNotContact(t.lower[end:]) {
			return
		}
		if o, ok := chineseObject(t.lower, end); ok {
			objects = append(objects, o)
		}
	})
	objects = append(objects, chinesePrepObjects(t.lower)...)
	return append(objects, chineseVisitors(t.lower)...)
}

// chineseNotContact reports whether the text after a contact verb makes it a noun
// or a failure: 联系方式 (contact details), 联系人 (contact person), 联系不上 (could
// not reach).
func chineseNotContact(rest string) bool {
	return slices.ContainsFunc([]string{"方式", "人", "电话", "不上", "不到"}, func(p string) bool {
		return strings.HasPrefix(rest, p)
	})
}

// chineseObject returns the name right after a Chinese contact verb ending at i:
// 拜访了百川商贸，→ 百川商贸.
func chineseObject(s string, i int) (dueSpan, bool) {
	for _, filler := range []string{"了一下", "了下", "一下", "了", "过", "到"} {
		if strings.HasPrefix(s[i:], filler) {
			i += len(filler)
			break
		}
	}
	// A name is short: looking no further than 25 characters keeps a long run of
	// Chinese text without punctuation linear.
	end := i
	for n := 0; n < 25 && end < len(s); n++ {
		r, size := utf8.DecodeRuneInString(s[end:])
		if !isNameRune(r) {
			break
		}
		end += size
	}
	name := s[i:end]
	for _, stop := range chineseObjectStops {
		j := strings.Index(name, stop)
		switch {
		case j == 0 && utf8.RuneCountInString(stop) > 1:
			return dueSpan{}, false // 拜访采购部, 联系对方: no name
		case j > 0 && utf8.RuneCountInString(name[:j]) >= 2:
			name = name[:j]
		}
	}
	start := i
	if rest, ok := strings.CutPrefix(name, "客户"); ok && utf8.RuneCountInString(rest) >= 2 {
		start, name = start+len("客户"), rest
	}
	if n := utf8.RuneCountInString(name); n < 2 || n > 24 {
		return dueSpan{}, false
	}
	return dueSpan{start, start + len(name)}, true
}

// capitalStops are capitalised words that are not names: sentence openers, days,
// months, methods and titles. Lower case.
var capitalStops = wordSet("i i'm i've i'll we we're we've they they're he she it you our their the a an and but " +
	"or so then also still just very good great nice quick ok okay yes no not hi hello hey thanks thank fyi re " +
	"update note notes next step steps todo today tomorrow yesterday tonight morning afternoon evening " +
	"monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun " +
	"january february march april may june july august september october november december jan feb mar apr " +
	"jun jul aug sep sept oct nov dec q1 q2 q3 q4 eod eow eom asap am pm customer client " +
	"call called calls calling phone phoned rang email emailed mail texted text sms im messaged message pinged " +
	"visit visited met meet meeting spoke talked chatted caught followed follow reached went dropped stopped " +
	"had got sent send demo demoed discussed presented showed pitched signed quoted quote contacted left tried " +
	"saw need needs wants want asked will should must can could would might please let lets " +
	"zoom teams wechat whatsapp dingtalk skype webex google slack crm pdf ppt poc roi sla " +
	"ceo cto cfo coo vp hr hq po mr mrs ms dr cc bcc")

// capitalisedRuns returns the runs of capitalised words in text that are not
// common words: "Acme Trading Co", "Globex". Words join across spaces and "&"
// ("Procter & Gamble"); punctuation and line breaks end a run.
func capitalisedRuns(text string) []string {
	var runs []string
	run := dueSpan{-1, -1}
	flush := func() {
		if run.start >= 0 {
			runs = append(runs, text[run.start:run.end])
		}
		run = dueSpan{-1, -1}
	}
	prevEnd := 0
	for i := 0; i < len(text); {
		r, n := utf8.DecodeRuneInString(text[i:])
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '&' {
			i += n
			continue
		}
		we := wordEnd(text, i)
		if gap := text[prevEnd:i]; gap == "" || strings.Trim(gap, " \t") != "" {
			flush() // only spaces join words into a name
		}
		word := text[i:we]
		stem := strings.TrimSuffix(strings.TrimSuffix(word, "'s"), "’s")
		switch {
		case word == "&" && run.start >= 0:
			// joins only if a name follows; run.end stays before it until then
		case unicode.IsUpper(r) && !capitalStops[strings.ToLower(stem)] && !strings.Contains(word, "@"):
			if run.start < 0 {
				run.start = i
			}
			run.end = i + len(stem)
		default:
			flush()
		}
		if len(stem) < len(word) {
			flush() // "Acme's CFO"
		}
		prevEnd, i = we, we
	}
	flush()
	return runs
}

package followup

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// methodCue is a phrase that says how a contact happened.
type methodCue struct {
	phrase string // folded: lower case unless exact, a space stands for any run of spaces
	method Method
	// generic phrases (met, meeting, 会议) say people met, not where: they are a
	// video meeting when a video word appears anywhere in the text.
	generic bool
	exact   bool // matched case-sensitively: "IM" and "Teams" are everyday words in lower case
}

// methodCues lists the phrases DetectMethod knows. English phrases match whole
// words only, so each inflection is listed: "emailed" is a cue, "mailbox" is not.
// Compounds ("video call", "微信视频") are listed so that, starting at the same
// place as a shorter cue, the longer one wins.
var methodCues = slices.Concat(
	methodCuesFor(MethodPhone, "call", "calls", "called", "calling", "phone", "phoned", "phoning", "phone call",
		"rang", "cold call", "cold called", "voicemail", "voice mail", "conference call",
		"电话", "打电话", "致电", "来电", "回电", "通话", "微信电话", "微信语音"),
	methodCuesFor(MethodVisit, "visit", "visits", "visited", "visiting", "went to", "dropped by", "stopped by",
		"on-site", "onsite", "拜访", "上门", "走访", "登门"),
	methodCuesFor(MethodVideo, "video", "video call", "video meeting", "video conference", "zoom", "zoom call",
		"zoom meeting", "ms teams", "microsoft teams", "teams call", "teams meeting", "google meet", "webex",
		"facetime", "online meeting", "virtual meeting",
		"视频", "视频会议", "视频通话", "腾讯会议", "线上会议", "网络会议", "远程会议", "钉钉会议", "飞书会议", "微信视频"),
	methodCuesFor(MethodEmail, "email", "emails", "emailed", "emailing", "e-mail", "e-mails", "e-mailed",
		"mail", "mailed", "邮件", "电邮"),
	methodCuesFor(MethodSMS, "sms", "texted", "texting", "text message", "text messaged", "sent a text", "短信"),
	methodCuesFor(MethodIM, "wechat", "wechatted", "weixin", "whatsapp", "whatsapped", "dingtalk", "messaged",
		"messaging", "dm", "dmed", "dm'd", "imessage", "telegram", "qq", "微信", "企业微信", "钉钉", "飞书"),
	methodCuesFor(MethodInbound, "came to our office", "came to our", "came over to our", "came by our", "dropped by our",
		"visited our office", "visited us", "来访", "到访", "来我司", "到我司", "来公司", "来我们公司"),
	[]methodCue{
		{phrase: "IM", method: MethodIM, exact: true},
		{phrase: "Teams", method: MethodVideo, exact: true},
	},
	methodGenericCues("met", "meet", "meeting", "meetings", "met up", "sat down with",
		"会议", "面谈", "见面", "开会", "开了会", "开了个会", "会面", "碰面", "当面"),
)

func methodCuesFor(m Method, phrases ...string) []methodCue {
	cues := make([]methodCue, len(phrases))
	for i, p := range phrases {
		cues[i] = methodCue{phrase: p, method: m}
	}
	return cues
}

func methodGenericCues(phrases ...string) []methodCue {
	cues := methodCuesFor(MethodVisit, phrases...)
	for i := range cues {
		cues[i].generic = true
	}
	return cues
}

// DetectMethod finds how the contact happened in free text: by phone, a visit, a
// video meeting, email, SMS, instant messaging, or the customer coming to us.
//
// The earliest cue in the text wins, and the longest of those starting at the same
// place ("video call" over "video"). Meeting words (met, meeting, 会议, 见面) mean
// a visit unless a video word appears anywhere in the text, as in "met on Zoom".
// English cues match whole words in any case, except "IM" and "Teams", which must be
// written so. It reports false when no cue is found.
func DetectMethod(text string) (Method, bool) {
	t := newCueText(text)
	best, bestEnd := -1, 0
	var found methodCue
	for _, c := range methodCues {
		start, end, ok := t.first(c.phrase, c.exact)
		if !ok {
			continue
		}
		if best < 0 || start < best || start == best && end > bestEnd {
			best, bestEnd, found = start, end, c
		}
	}
	if best < 0 {
		return "", false
	}
	if found.generic && t.mentionsVideo() {
		return MethodVideo, true
	}
	return found.method, true
}

// mentionsVideo reports whether any video cue appears in t.
func (t cueText) mentionsVideo() bool {
	return slices.ContainsFunc(methodCues, func(c methodCue) bool {
		if c.method != MethodVideo {
			return false
		}
		_, _, ok := t.first(c.phrase, c.exact)
		return ok
	})
}

// moodCue is a phrase that shows the customer's attitude.
type moodCue struct {
	phrase  string
	mood    Mood // "" when the phrase says nothing on its own ("sure")
	negated Mood // the mood when negated ("not happy", 不满意); "" cancels the cue ("no concerns")
}

// moodCues lists the phrases DetectMood knows. Negating a positive word makes it
// resistant; negating a hesitant or resistant word cancels it, since "no concerns"
// or "didn't refuse" say what the customer did not feel, not what they did.
// "sure", "certain" and "convinced" count only when negated ("not sure").
var moodCues = slices.Concat(
	moodCuesFor(MoodPositive, MoodResistant, "interested", "keen", "happy", "satisfied", "excited", "positive",
		"pleased", "enthusiastic", "eager", "impressed", "liked", "loved",
		"满意", "感兴趣", "有兴趣", "积极", "认可", "认同", "很好", "高兴", "开心"),
	moodCuesFor(MoodHesitant, "", "hesitant", "hesitated", "hesitating", "hesitation", "unsure", "undecided",
		"concerned", "concern", "concerns", "worried", "worry", "worries", "skeptical", "sceptical", "doubtful",
		"doubts", "cautious", "thinking about it", "think about it", "think it over", "on the fence",
		"wait and see",
		"犹豫", "顾虑", "疑虑", "考虑一下", "考虑考虑", "再考虑", "还在考虑", "观望", "担心", "纠结", "不确定", "兴趣不大"),
	moodCuesFor(MoodResistant, "", "refused", "refuse", "refuses", "rejected", "rejects", "declined", "angry",
		"annoyed", "upset", "frustrated", "hostile", "pushback", "pushed back on", "no interest", "lost interest",
		"hung up", "拒绝", "不感兴趣", "没兴趣", "没有兴趣", "毫无兴趣", "反感", "抵触", "不满", "不考虑", "生气", "不耐烦", "投诉"),
	moodCuesFor("", MoodHesitant, "sure", "certain", "convinced", "decided"),
)

func moodCuesFor(m, negated Mood, phrases ...string) []moodCue {
	cues := make([]moodCue, len(phrases))
	for i, p := range phrases {
		cues[i] = moodCue{phrase: p, mood: m, negated: negated}
	}
	return cues
}

// moodCueWords holds the one-word English cues: a negation does not reach across
// one ("not sure they're interested" negates "sure", not "interested").
var moodCueWords = func() map[string]bool {
	words := map[string]bool{}
	for _, c := range moodCues {
		if !strings.Contains(c.phrase, " ") && c.phrase[0] < utf8.RuneSelf {
			words[c.phrase] = true
		}
	}
	return words
}()

// DetectMood finds the customer's mood in free text: positive ("interested", 满意),
// hesitant ("worried about price", 犹豫) or resistant ("refused", 拒绝).
//
// Negation counts: "not happy", "wasn't interested" and 不满意 are resistant, while
// "no concerns" or 没有顾虑 are no mood at all. When the cues disagree the strongest
// reservation wins, resistant over hesitant over positive: "interested but worried
// about price" is hesitant, because that is what the next step has to address.
// It reports false when no cue is found.
func DetectMood(text string) (Mood, bool) {
	t := newCueText(text)
	var found Mood
	for _, c := range moodCues {
		t.each(c.phrase, false, func(start, _ int) {
			m := c.mood
			if t.negated(start) {
				m = c.negated
			}
			if moodStrength(m) > moodStrength(found) {
				found = m
			}
		})
	}
	return found, found != ""
}

// moodStrength orders the moods by how much reservation they show.
func moodStrength(m Mood) int {
	return slices.Index([]Mood{"", MoodPositive, MoodHesitant, MoodResistant}, m)
}

// englishNegators are the words that negate a cue up to three words after them.
var englishNegators = map[string]bool{
	"not": true, "no": true, "never": true, "without": true, "hardly": true, "nothing": true, "none": true,
	"nor": true, "cannot": true, "dont": true, "didnt": true, "doesnt": true, "isnt": true, "wasnt": true,
	"arent": true, "werent": true, "wont": true, "cant": true, "couldnt": true, "wouldnt": true,
	"havent": true, "hasnt": true, "hadnt": true,
}

// chineseNegators negate the cue that follows them directly: 不满意, 没有顾虑, 不太满意.
var chineseNegators = []string{
	"不", "没", "没有", "无", "未", "毫无", "毫不", "并不", "并无", "并没有", "不太", "不是", "不是很", "不怎么", "不够", "没什么",
	"没那么", "不那么", "不大", "不算", "不再", "没太",
}

// negated reports whether the cue at start is negated: by an English negator up
// to three words before it in the same clause, or a Chinese one right before it.
func (t cueText) negated(start int) bool {
	// Three short words fit in 48 bytes; looking no further keeps a long text linear.
	from := max(0, start-48)
	head := t.lower[from:start]
	for _, n := range chineseNegators {
		if strings.HasSuffix(head, n) {
			return true
		}
	}
	words := strings.Fields(head)
	if i := strings.LastIndexAny(head, ",.;:!?。、\n"); i >= 0 {
		words = strings.Fields(head[i+1:])
	} else if from > 0 && len(words) > 0 {
		words = words[1:] // it may be the end of a longer word: the "not" of "cannot"
	}
	for i := len(words) - 1; i >= 0 && i >= len(words)-3; i-- {
		w := apostrophes.Replace(words[i])
		switch {
		case w == "but" || moodCueWords[w]:
			return false
		case englishNegators[w] || strings.HasSuffix(words[i], "n't") || strings.HasSuffix(words[i], "n’t"):
			return true
		}
	}
	return false
}

var apostrophes = strings.NewReplacer("'", "", "’", "")

// cueText is text prepared for finding cue phrases: lower is the text with ASCII
// in lower case and full-width forms folded (see dueFold), and orig maps offsets in
// lower back to text, so that case-sensitive cues can be checked against what was
// typed and what is found can be cut out of what was typed.
type cueText struct {
	text  string
	lower string
	orig  []int
	pairs *cuePairs
}

func newCueText(text string) cueText {
	f := dueFold(text)
	return cueText{text: text, lower: f.s, orig: f.orig, pairs: newCuePairs(f.s)}
}

// cuePairs is a set of the byte pairs that occur in a text, hashed into 4,096 bits. A
// phrase whose first two bytes are not in it cannot occur in the text, so the searches for
// most of the few hundred cue phrases end there instead of scanning the whole text; a
// hash collision only means a search that finds nothing.
type cuePairs [64]uint64

func cuePair(a, b byte) uint { return (uint(a)*131 + uint(b)) & 4095 }

func newCuePairs(s string) *cuePairs {
	var p cuePairs
	for i := 0; i+1 < len(s); i++ {
		h := cuePair(s[i], s[i+1])
		p[h/64] |= 1 << (h % 64)
	}
	return &p
}

// mayHave reports whether s may occur in the text: false is certain, true is not.
func (p *cuePairs) mayHave(s string) bool {
	if len(s) < 2 {
		return true
	}
	h := cuePair(s[0], s[1])
	return p[h/64]&(1<<(h%64)) != 0
}

// first returns the span of the first whole-word occurrence of phrase.
func (t cueText) first(phrase string, exact bool) (start, end int, ok bool) {
	return t.next(phrase, exact, 0)
}

// each calls fn with the span of every whole-word occurrence of phrase.
func (t cueText) each(phrase string, exact bool, fn func(start, end int)) {
	for from := 0; ; {
		start, end, ok := t.next(phrase, exact, from)
		if !ok {
			return
		}
		fn(start, end)
		from = end
	}
}

// next returns the span in t.lower of the first whole-word occurrence of phrase
// at or after from. A space in phrase matches any run of spaces. Exact phrases
// must also be written in their case in the original text.
func (t cueText) next(phrase string, exact bool, from int) (start, end int, ok bool) {
	key := phrase // cue phrases are written folded, in lower case...
	if exact {
		key = strings.ToLower(phrase) // ...but for those matched as written
	}
	head := key
	if i := strings.IndexByte(key, ' '); i >= 0 {
		head = key[:i]
	}
	if !t.pairs.mayHave(head) {
		return 0, 0, false
	}
	for from < len(t.lower) {
		i := strings.Index(t.lower[from:], head)
		if i < 0 {
			break
		}
		start = from + i
		from = start + len(head)
		end, ok := cueMatchAt(t.lower, start, key)
		if ok && cueWholeWord(t.lower, start, end) && (!exact || t.text[t.orig[start]:t.orig[end]] == phrase) {
			return start, end, true
		}
	}
	return 0, 0, false
}

// cueMatchAt reports where phrase ends if it occurs in s at i.
func cueMatchAt(s string, i int, phrase string) (int, bool) {
	for j := 0; j < len(phrase); j++ {
		if phrase[j] != ' ' {
			if i >= len(s) || s[i] != phrase[j] {
				return 0, false
			}
			i++
			continue
		}
		k := i
		for k < len(s) && unicode.IsSpace(rune(s[k])) && s[k] < utf8.RuneSelf {
			k++
		}
		if k == i {
			return 0, false
		}
		i = k
	}
	return i, true
}

// cueWholeWord reports whether s[start:end] is not part of a longer Latin word.
// Chinese has no spaces, so a Chinese cue matches anywhere.
func cueWholeWord(s string, start, end int) bool {
	first, _ := utf8.DecodeRuneInString(s[start:])
	last, _ := utf8.DecodeLastRuneInString(s[:end])
	before, _ := utf8.DecodeLastRuneInString(s[:start])
	after, _ := utf8.DecodeRuneInString(s[end:])
	return !(isLatinWordRune(first) && start > 0 && isLatinWordRune(before)) &&
		!(isLatinWordRune(last) && end < len(s) && isLatinWordRune(after))
}

// isLatinWordRune reports whether r can be part of an English word.
func isLatinWordRune(r rune) bool {
	return r < utf8.RuneSelf && (dueIsAlnum(unicode.ToLower(r)) || r == '_') || unicode.Is(unicode.Latin, r)
}

// stageCue is a phrase that says a deal was won or lost.
type stageCue struct {
	phrase string // folded, as for the method cues
	stage  Stage  // StageWon or StageLost
	reason LostReason
	// leading cues ("won", "lost") count only as the text's first word and followed by
	// nothing but punctuation ("Lost - price", "won!"): elsewhere they are everyday words
	// ("lost track of time", "won them over").
	leading bool
}

// stageCues lists the phrases DetectStage knows. English cues are past tense or
// outcomes ("signed the contract", "deal lost"), so that plans ("will sign next week")
// are no cue; Chinese cues are checked for a tentative word before them (准备签约,
// 争取成交) and for a word after them that makes them something else (签约意向,
// 成交价, 流失风险).
var stageCues = slices.Concat(
	stageCuesFor(StageWon, "",
		"closed won", "closed-won", "deal won", "won the deal", "won the contract", "won the order", "won the account",
		"won the business", "won the bid", "won the tender", "won the project", "won it", "we won",
		"deal closed", "closed the deal", "closed the sale", "closed a deal", "signed the contract", "signed a contract",
		"signed the deal", "contract signed", "signed the order", "signed the agreement", "signed the po", "po signed",
		"got the order", "got the contract", "placed the order", "placed an order",
		"成交", "签约", "签单", "签了单", "签了合同", "签合同", "合同已签", "签下", "拿下", "赢单", "中标", "下单", "下了单"),
	stageCuesFor(StageLost, "",
		"closed lost", "closed-lost", "deal lost", "lost the deal", "lost the contract", "lost the order", "lost the account",
		"lost the business", "lost the bid", "lost the tender", "lost the project", "lost the sale", "lost the customer",
		"lost the client", "lost it", "lost them", "lost out", "no deal", "deal is off", "deal off", "walked away",
		"pulled out", "cancelled the project", "canceled the project", "project cancelled", "project canceled",
		"丢单", "丢了单", "丢了这单", "丢了订单", "输单", "没签成", "没谈成", "谈崩", "黄了", "放弃合作", "终止合作", "不合作了",
		"不做了", "流失了", "已流失", "客户流失", "项目取消", "取消了项目", "不买了"),
	stageCuesFor(StageLost, LostCompetitor,
		"lost to", "went with a competitor", "went with another vendor", "went with another supplier", "chose a competitor",
		"chose another vendor", "picked a competitor", "signed with a competitor", "signed with another",
		"输给", "选了竞品", "选择了竞品", "选了别家", "选择了别家", "用了别家", "签了别家", "选了其他供应商", "选择了其他供应商"),
	stageCuesFor(StageLost, LostBudget, "no budget", "没预算", "没有预算"),
	[]stageCue{{phrase: "won", stage: StageWon, leading: true}, {phrase: "lost", stage: StageLost, leading: true}},
)

func stageCuesFor(s Stage, r LostReason, phrases ...string) []stageCue {
	cues := make([]stageCue, len(phrases))
	for i, p := range phrases {
		cues[i] = stageCue{phrase: p, stage: s, reason: r}
	}
	return cues
}

// lostReasonCues are the words that say why a deal was lost, wherever they appear.
var lostReasonCues = slices.Concat(
	stageCuesFor(StageLost, LostPrice, "price", "prices", "pricing", "priced", "too expensive", "expensive", "cheaper",
		"cost", "costs", "costly", "价格", "价钱", "太贵", "贵了", "报价高", "报价太高", "便宜", "低价"),
	stageCuesFor(StageLost, LostCompetitor, "competitor", "competitors", "competition", "competing", "rival", "rivals",
		"another vendor", "other vendor", "another supplier", "other supplier",
		"竞品", "竞争对手", "对手", "友商", "别家", "其他供应商", "其他厂家", "其他品牌"),
	stageCuesFor(StageLost, LostService, "service", "services", "support", "after-sales", "after sales", "response time",
		"slow response", "服务", "售后", "响应慢", "响应太慢", "态度差"),
	stageCuesFor(StageLost, LostBudget, "budget", "budgets", "funding", "funds", "no money", "afford",
		"预算", "资金", "经费", "没钱"),
)

// Words that make a stage cue a plan or a fear rather than an outcome: up to three English
// words before it ("will have signed the contract", "almost lost the deal"), or a Chinese
// word right before it (准备签约, 防止客户流失).
var (
	stageTentativeEN = map[string]bool{
		"almost": true, "nearly": true, "hope": true, "hopefully": true, "hoping": true, "expect": true, "expecting": true,
		"may": true, "might": true, "will": true, "would": true, "could": true, "should": true, "if": true, "unless": true,
		"until": true, "plan": true, "planning": true, "want": true, "wants": true, "likely": true, "probably": true,
		"soon": true,
	}
	// stageTentativeCN count anywhere in the cue's clause up to eight characters before it
	// (争取本月成交); stageTentativeNextCN, too common to look for further, only right
	// before it (要签约, 快成交了).
	stageTentativeCN = []string{
		"准备", "即将", "打算", "计划", "等待", "争取", "希望", "可能", "也许", "或许", "有望", "预计", "促成", "防止", "避免",
		"担心", "以免", "是否", "能否", "如果", "一旦",
	}
	stageTentativeNextCN = []string{"等", "待", "想", "要", "将", "会", "快", "怕"}
	// stageNotAfterCN are what turns a Chinese cue into another word: 成交价 (the deal
	// price), 签约意向 (an intention to sign), 流失风险 (a churn risk), 签约了吗 (a question).
	stageNotAfterCN = []string{"价", "率", "量", "额", "意向", "计划", "流程", "事宜", "时间", "日期", "前", "之前", "吗", "风险", "的可能"}
)

// DetectStage finds a won or lost deal in free text, as a rep writes it in a quick log:
// "won", "signed the contract", "成交", "签约", "lost to competitor", "丢单 价格太高".
//
// A lost deal comes with a reason: the first reason word in the text that is not negated
// (price, competitor, service, budget: "too expensive", 竞品, 售后, 没预算), else the
// reason the lost phrase implies ("lost to Globex" is a competitor), else other.
//
// Negated cues ("not won yet", 未成交, 没丢单) and plans or fears (准备签约, "will have
// signed the contract", 防止客户流失) are no cue. A text with both a won and a lost cue
// says nothing for sure, so it reports false, as it does when no cue is found: a funnel
// move counts in every conversion figure, and the stage button on the customer card is
// there for what the text leaves open.
func DetectStage(text string) (StageMove, bool) {
	t := newCueText(text)
	var won, lost bool
	implied := LostReason("")
	for _, c := range stageCues {
		t.each(c.phrase, false, func(start, end int) {
			if !t.stageCueHolds(c, start, end) {
				return
			}
			switch c.stage {
			case StageWon:
				won = true
			case StageLost:
				lost = true
				if implied == "" {
					implied = c.reason
				}
			}
		})
	}
	if won == lost {
		return StageMove{}, false
	}
	if won {
		return StageMove{Stage: StageWon}, true
	}
	return StageMove{Stage: StageLost, Reason: t.lostReason(implied)}, true
}

// stageCueHolds reports whether the cue found at [start, end) says what it seems to.
func (t cueText) stageCueHolds(c stageCue, start, end int) bool {
	rest := t.lower[end:]
	if strings.HasPrefix(rest, "'t") || strings.HasPrefix(rest, "’t") { // won't
		return false
	}
	if c.leading {
		head := strings.TrimFunc(t.lower[:start], func(r rune) bool { return !isLatinWordRune(r) && !unicode.Is(unicode.Han, r) })
		tail := strings.TrimLeftFunc(rest, unicode.IsSpace)
		next, _ := utf8.DecodeRuneInString(tail)
		if head != "" || tail != "" && (isLatinWordRune(next) || unicode.Is(unicode.Han, next)) {
			return false
		}
	}
	if t.negated(start) || t.tentative(start) {
		return false
	}
	clause := rest
	if i := strings.IndexAny(rest, ",.;!，。；！\n"); i >= 0 {
		clause = rest[:i]
	}
	if strings.ContainsAny(clause, "?？吗") { // a question: 签约了吗？ won?
		return false
	}
	if first, _ := utf8.DecodeRuneInString(c.phrase); unicode.Is(unicode.Han, first) {
		for _, w := range stageNotAfterCN {
			if strings.HasPrefix(rest, w) {
				return false
			}
		}
	}
	return true
}

// tentative reports whether the cue at start is a plan or a fear (see stageTentativeEN).
func (t cueText) tentative(start int) bool {
	from := max(0, start-48)
	head := t.lower[from:start]
	if i := strings.LastIndexAny(head, ",.;:!?。、，；！？\n"); i >= 0 {
		head = head[i+1:]
		from = 0 // the clause starts inside the window: its first word is whole
	}
	near := []rune(strings.TrimRightFunc(head, unicode.IsSpace))
	near = near[max(0, len(near)-8):]
	for _, w := range stageTentativeCN {
		if strings.Contains(string(near), w) {
			return true
		}
	}
	for _, w := range stageTentativeNextCN {
		if strings.HasSuffix(string(near), w) {
			return true
		}
	}
	if from > 0 {
		if _, w, ok := strings.Cut(head, " "); ok {
			head = w // the first word may be cut
		}
	}
	words := strings.Fields(head)
	for i := len(words) - 1; i >= 0 && i >= len(words)-3; i-- {
		if stageTentativeEN[apostrophes.Replace(words[i])] {
			return true
		}
	}
	return false
}

// lostReason is the first reason word of the text that is not negated, else implied,
// else LostOther.
func (t cueText) lostReason(implied LostReason) LostReason {
	best, found := -1, implied
	for _, c := range lostReasonCues {
		t.each(c.phrase, false, func(start, _ int) {
			if (best < 0 || start < best) && !t.negated(start) {
				best, found = start, c.reason
			}
		})
	}
	if found == "" {
		return LostOther
	}
	return found
}

package bot

import (
	"fmt"

	"github.com/followuphq/followup"
)

// catalog maps a message key to its English and Simplified Chinese text. Keys are short
// names, except for the domain's validation messages, which are keyed by their English
// text so the domain stays free of presentation.
type catalog map[string][2]string

// tr returns the message for key in locale, formatted with args. A key missing from the
// catalog is shown as given, so a domain message without a translation is still readable.
func (b *Bot) tr(locale, key string, args ...any) string {
	msg := key
	if pair, ok := b.text[key]; ok {
		if pair[0] != "" { // messages keyed by their English text leave it out
			msg = pair[0]
		}
		if locale == followup.LocaleZH && pair[1] != "" {
			msg = pair[1]
		}
	}
	if len(args) > 0 {
		return fmt.Sprintf(msg, args...)
	}
	return msg
}

// label names a choice (a method, a source...) in locale: the catalog's text for prefix+value
// when there is one, otherwise the value as typed, escaped for mrkdwn.
func (b *Bot) label(locale, prefix, value string) string {
	if _, ok := b.text[prefix+value]; ok {
		return b.tr(locale, prefix+value)
	}
	return esc(value)
}

func newCatalog() catalog {
	c := catalog{}
	for _, part := range []catalog{uiText(), choiceText(), validationText(), reminderText(), digestText(), sheetText(), funnelText(), complaintText(), surveyText()} {
		for k, v := range part {
			c[k] = v
		}
	}
	return c
}

func uiText() catalog {
	return catalog{
		"help": {
			"*followup* keeps your customer follow-ups from slipping.\n" +
				"• `/followup`: log a follow-up in a form\n" +
				"• `/followup log <customer>: <what happened> next: <next step and when>`: log in one line, e.g. `/followup log Acme: called Wang, wants a discount next: send the revised quote in 3 days`\n" +
				"• `/followup new`: add a customer\n" +
				"• `/followup show <customer>`: the customer card\n" +
				"• `/followup due`: your open and overdue next steps\n" +
				"• a quick log that says `won`, `signed the contract`, `lost to competitor`, `lost - price`... also moves the customer's funnel stage; the customer card has a *Change stage* button\n" +
				"• `/followup funnel [team|rep|@rep] [week|month|quarter|30d|2026-10-01..2026-12-01]`: customers per stage, conversion, won of closed by tier, days to won, lost reasons, with a chart in your DM\n" +
				"• `/followup complaint [customer]`: record a customer's complaint; its handler gets it with a deadline, a reminder and, if it stays open, the manager hears of it\n" +
				"• `/followup survey [customer]`: record a satisfaction survey (scores 1-5); a low score gives the owner a call back for the next working day\n" +
				"• `/followup digest [week]`: your team's last 7 days, `week` with the weekly review (managers)\n" +
				"• `/followup share <customer> @colleague`: let a colleague see the customer and log follow-ups on it (its owner, their manager, admins)\n" +
				"• `/followup handover @from @to`: hand all of a rep's customers and open next steps to someone else (admins; managers within their team)\n" +
				"• `/followup team`: set up a team, its manager, calendar and cadences (admins)\n" +
				"• `/followup export customers|followups|review [csv|xlsx]`: a spreadsheet in your DM (managers and admins)\n" +
				"• `/followup audit <customer>`: who added, changed and saw the customer's personal data (admins)\n" +
				"• send me a .csv or .xlsx follow-up sheet in this DM to import it (admins; write `dry run` with it to try first)\n" +
				"• `/followup lang en|zh|auto`: the language I speak with you\n" +
				"A customer can be named by code, by name, or by a unique part of its name.",
			"*followup* 帮你跟紧每一位客户。\n" +
				"• `/followup`：用表单记录一次跟进\n" +
				"• `/followup log <客户>：<跟进内容> 下一步：<计划和时间>`：一句话记录，例如 `/followup log 百川商贸：电话沟通，对价格有疑虑 下一步：3天内发送定制方案`\n" +
				"• `/followup new`：添加客户\n" +
				"• `/followup show <客户>`：查看客户卡片\n" +
				"• `/followup due`：我的待办和逾期的下一步\n" +
				"• 一句话记录中写 `成交`、`签约`、`丢单 价格太高`、`输给了竞品` 等，也会更新客户的销售阶段；客户卡片上有“更新阶段”按钮\n" +
				"• `/followup funnel [team|rep|@销售] [week|month|quarter|30d|2026-10-01..2026-12-01]`：各阶段客户数、转化率、各等级成交率、成交周期和流失原因，图表发到你的私信\n" +
				"• `/followup complaint [客户]`：登记客户投诉；处理人会收到投诉和解决期限，到期提醒，逾期未解决则通知经理\n" +
				"• `/followup survey [客户]`：登记满意度调查（1-5分）；评分偏低时，为客户负责人添加下一个工作日的回访\n" +
				"• `/followup digest [week]`：团队最近7天的摘要，`week` 附带周度复盘（经理）\n" +
				"• `/followup share <客户> @同事`：让同事也能查看该客户并记录跟进（负责人、其经理、管理员）\n" +
				"• `/followup handover @原负责人 @新负责人`：交接某位销售的全部客户和未完成的下一步（管理员；经理限本团队）\n" +
				"• `/followup team`：设置团队、经理、日历和跟进频率（管理员）\n" +
				"• `/followup audit <客户>`：查看谁添加、修改或查看过客户的个人信息（管理员）\n" +
				"• `/followup export customers|followups|review [csv|xlsx]`：导出表格，发到你的私信（经理和管理员）\n" +
				"• 在私信中发给我 .csv 或 .xlsx 格式的客户跟进记录表即可导入（管理员；附上“预览”可先试导入）\n" +
				"• `/followup lang en|zh|auto`：设置我和你交流的语言\n" +
				"客户可以用编号、名称或名称中唯一的一部分来指定。",
		},
		"unknown_command": {"I don't know `%s`. Here is what I can do:", "我不认识 `%s`。我能做这些："},
		"title_log":       {"Log follow-up", "记录跟进"},
		"title_new":       {"New customer", "新客户"},
		"title_duplicate": {"Possible duplicate", "可能重复"},
		"title_next":      {"Add next step", "添加下一步"},
		"submit_save":     {"Save", "保存"},
		"submit_anyway":   {"Save anyway", "仍然保存"},
		"close_cancel":    {"Cancel", "取消"},
		"close_back":      {"Back", "返回"},

		"label_customer":     {"Customer", "客户"},
		"ph_customer":        {"Type a name or code", "输入名称或编号"},
		"label_method":       {"How were you in touch?", "跟进方式"},
		"label_happened_on":  {"Date", "跟进日期"},
		"label_summary":      {"What was discussed", "跟进内容"},
		"hint_summary":       {"Be specific: \"confirmed interest in plan A, asked for B's details\" helps the team; \"went well\" does not.", "写具体：“确认对方案A有兴趣，索要方案B细节”比“聊得不错”有用得多。"},
		"label_feedback":     {"Customer feedback, in their words", "客户反馈（原话）"},
		"label_mood":         {"Customer mood", "客户态度"},
		"label_next_action":  {"Next step", "下一步计划"},
		"ph_next_action":     {"e.g. send the revised quote", "例如：发送修改后的报价"},
		"label_next_due":     {"Next step due", "下一步截止日期"},
		"hint_next_due":      {"Leave empty to use the customer's tier cadence.", "留空则按客户等级的跟进频率设定。"},
		"label_stage":        {"Move to stage", "更新销售阶段"},
		"label_name":         {"Customer name", "客户名称"},
		"label_code":         {"Customer code", "客户编号"},
		"hint_code":          {"Leave empty to generate one (e.g. C202405001).", "留空将自动生成（如 C202405001）。"},
		"label_industry":     {"Industry", "所属行业"},
		"label_tier":         {"Tier", "客户等级"},
		"label_source":       {"Source", "客户来源"},
		"label_contact_name": {"Contact name", "联系人"},
		"label_phone":        {"Contact phone", "联系电话"},
		"label_email":        {"Contact email", "联系邮箱"},
		"label_notes":        {"Notes", "备注"},
		"label_id_number":    {"Credit code / ID number", "统一社会信用代码 / 身份证号"},
		"hint_id_number":     {"Optional. Stored encrypted; only the owner, their manager and admins see it in full.", "选填。加密保存，仅负责人、其经理和管理员可查看完整号码。"},

		"saved_followup":    {":white_check_mark: Saved your follow-up with *%s* (%s).", ":white_check_mark: 已保存对 *%s*（%s）的跟进。"},
		"next_line":         {"*Next:* %s, due %s", "*下一步：* %s，截止 %s"},
		"next_line_cadence": {"*Next:* %s, due %s (no date given: set from the tier %s cadence)", "*下一步：* %s，截止 %s（未给出日期：按 %s 级客户的跟进频率设定）"},
		"stage_line":        {"Stage is now *%s*.", "销售阶段已更新为 *%s*。"},
		"no_next_prompt":    {"No next step is planned for *%s*. Customers without one slip; add it now?", "*%s* 还没有下一步计划。没有下一步的客户容易流失，现在添加吗？"},
		"button_add_next":   {"Add next step", "添加下一步"},
		"saved_next":        {":white_check_mark: Next step for *%s* saved: %s, due %s.", ":white_check_mark: 已为 *%s* 添加下一步：%s，截止 %s。"},
		"saved_customer":    {":white_check_mark: Added *%s* (%s), tier %s.", ":white_check_mark: 已添加客户 *%s*（%s），等级 %s。"},
		"button_log":        {"Log follow-up", "记录跟进"},
		"button_show":       {"Show", "查看"},

		"err_unavailable": {":warning: That was *not saved*: the database is not answering. Please try again in a minute.", ":warning: *未保存*：数据库暂时无法访问，请稍后再试。"},
		"err_not_saved":   {":warning: That was *not saved*: something went wrong on our side. Please try again.", ":warning: *未保存*：系统出错，请重试。"},
		"err_modal_save":  {"Not saved: the database is not answering. Your text is still here; press Save again in a moment.", "未保存：数据库暂时无法访问。内容仍保留在此，请稍后再点保存。"},
		"err_modal_bug":   {"Not saved: something went wrong on our side. Your text is still here; press Save again.", "未保存：系统出错。内容仍保留在此，请再点保存。"},
		"share_usage": {"Share a customer with a colleague: `/followup share <customer> @colleague`. They can then see it and log follow-ups on it.",
			"把客户共享给同事：`/followup share <客户> @同事`。对方即可查看并记录跟进。"},
		"share_which":       {"Several customers match %s; share by code:", "有多位客户匹配 %s，请用客户编号共享："},
		"share_not_allowed": {":lock: Only the customer's owner, their manager or an admin can share it.", ":lock: 只有客户负责人、其经理或管理员可以共享。"},
		"share_owner":       {"<@%s> owns %s already.", "<@%s> 已是 %s 的负责人。"},
		"shared":            {":handshake: Shared %s with <@%s>.", ":handshake: 已把 %s 共享给 <@%s>。"},
		"shared_with_you": {"<@%s> shared %s (%s) with you: you can see it with `/followup show` and log follow-ups on it.",
			"<@%s> 把 %s（%s）共享给了你：可以用 `/followup show` 查看并记录跟进。"},
		"denied_customer": {":lock: That customer is not yours to see or work on. Ask its owner or your manager to share it with you (`/followup share`).",
			":lock: 这位客户不在你的权限范围内。请让负责人或你的经理共享给你（`/followup share`）。"},
		"denied_team": {":lock: That is for the team's manager or an admin.", ":lock: 只有该团队的经理或管理员可以这样做。"},
		"err_expired": {"That has expired (conversations are kept for 30 minutes). Please start again.", "操作已过期（会话保留30分钟），请重新开始。"},
		"rate_limited": {":hourglass_flowing_sand: That is more than I can take in at once. Wait a few seconds and send it again; nothing of it was saved.",
			":hourglass_flowing_sand: 发送得太快了，请稍等几秒再发一次；这条没有保存。"},
		"err_state_down": {"I can't keep track of this conversation right now (its short-term memory is unavailable). Please use the form: `/followup`.", "暂时无法保存会话状态，请使用表单：`/followup`。"},
		"err_read":       {"I couldn't read that right now; please try again in a minute.", "暂时无法读取，请稍后再试。"},

		"ql_usage":         {"To log in one line: `/followup log <customer>: <what happened> next: <next step and when>`", "一句话记录：`/followup log <客户>：<跟进内容> 下一步：<计划和时间>`"},
		"ql_not_found":     {"I couldn't find a customer matching “%s”.", "没有找到与“%s”匹配的客户。"},
		"ql_create_button": {"Add a new customer", "添加新客户"},
		"ql_choose":        {"Several customers match “%s”. Which one did you mean?", "有多个客户与“%s”匹配，你指的是哪一个？"},

		"show_usage":                          {"Which customer? `/followup show <code or name>`", "查看哪个客户？`/followup show <编号或名称>`"},
		"card_code":                           {"Code", "编号"},
		"card_tier":                           {"Tier", "等级"},
		"card_stage":                          {"Stage", "阶段"},
		"card_owner":                          {"Owner", "负责人"},
		"card_industry":                       {"Industry", "行业"},
		"card_source":                         {"Source", "来源"},
		"card_last_touch":                     {"Last follow-up", "最近跟进"},
		"card_next_due":                       {"Next contact due", "下次应联系"},
		"card_contacts":                       {"Contacts", "联系人"},
		"card_recent":                         {"Recent follow-ups", "最近跟进记录"},
		"card_actions":                        {"Open next steps", "未完成的下一步"},
		"card_none":                           {"none yet", "暂无"},
		"card_never":                          {"never", "从未"},
		"card_churn":                          {":warning: churn risk", ":warning: 流失风险"},
		"card_id_number":                      {"Credit code / ID", "信用代码 / 证件号"},
		"card_personal_masked":                {":lock: Phone numbers, emails and ID numbers are masked: only the customer's owner, their manager and admins see them in full.", ":lock: 电话、邮箱和证件号已隐藏部分内容：仅客户负责人、其经理和管理员可查看完整信息。"},
		"card_personal_full":                  {":lock: Shown in full to you as the owner, their manager or an admin; this view is recorded in the audit log.", ":lock: 你是负责人、其经理或管理员，因此可查看完整信息；本次查看已记入审计日志。"},
		"audit_usage":                         {"Whose audit trail? `/followup audit <code or name>`", "查看哪个客户的审计记录？`/followup audit <编号或名称>`"},
		"audit_admins_only":                   {"The audit trail is for admins. Ask an admin if you need to know who saw a customer's data.", "审计记录仅供管理员查看。如需了解谁查看过客户信息，请联系管理员。"},
		"audit_title":                         {"Audit trail of %s (%s)", "%s（%s）的审计记录"},
		"audit_none":                          {"nothing recorded yet", "暂无记录"},
		"audit_older":                         {"Older", "更早"},
		"audit_note":                          {"Newest first. Audit rows can only be added, never changed or deleted.", "按时间倒序。审计记录只能新增，不能修改或删除。"},
		"audit_viewed":                        {"saw %s in full", "查看了完整的%s"},
		"audit_created":                       {"added the customer", "添加了客户"},
		"audit_created_with":                  {"added the customer with %s", "添加了客户（含%s）"},
		"audit_reassigned":                    {"handed the customer over", "移交了客户"},
		"audit_shared":                        {"shared the customer with <@%s>", "把客户共享给了 <@%s>"},
		"audit_field_contact_phone":           {"the phone number", "电话号码"},
		"audit_field_contact_email":           {"the email", "邮箱"},
		"audit_field_id_number":               {"the ID number", "证件号"},
		"due_title":                           {"Your next steps", "我的下一步"},
		"due_overdue":                         {"Overdue", "已逾期"},
		"due_today":                           {"Due today", "今天到期"},
		"due_upcoming":                        {"Upcoming", "即将到期"},
		"due_nothing":                         {"Nothing is waiting on you. :tada:", "没有待办事项。:tada:"},
		"due_more":                            {"…and %d more.", "……还有 %d 项。"},
		"home_greeting":                       {"Hello <@%s>! Here is your day.", "<@%s> 你好！这是你今天的安排。"},
		"button_new":                          {"New customer", "新客户"},
		"digest_not_manager":                  {"Digests are for managers: an admin can make you the manager of a team.", "摘要仅供经理查看：管理员可以将你设为团队经理。"},
		"lang_usage":                          {"Choose a language: `/followup lang en`, `/followup lang zh`, or `/followup lang auto` to follow your Slack setting.", "选择语言：`/followup lang en`、`/followup lang zh`，或 `/followup lang auto` 跟随 Slack 设置。"},
		"lang_set":                            {"From now on I'll speak English with you.", "从现在起我会用中文和你交流。"},
		"understood_method":                   {"*Method:* %s", "*方式：* %s"},
		"understood_mood":                     {"*Mood:* %s", "*态度：* %s"},
		"btn_edit":                            {"Edit", "修改"},
		"btn_undo":                            {"Undo", "撤销"},
		"undone":                              {":leftwards_arrow_with_hook: Undone: that follow-up and its next step were removed.", ":leftwards_arrow_with_hook: 已撤销：该跟进记录及其下一步已删除。"},
		"That follow-up is gone already.":     {"", "该跟进记录已不存在。"},
		"dm_hint":                             {"Tell me about a contact and I'll log it, e.g. \"Called Acme, they want a demo; next: send the deck Friday\". `/followup help` lists the rest.", "告诉我一次客户联系，我来记录，例如“拜访了百川商贸，下一步：下周一报价”。`/followup help` 查看更多。"},
		"dm_ask_customer":                     {"Which customer was this with? (a name, part of it, or the code)", "这是哪个客户？（名称、名称的一部分或编号）"},
		"dm_ask_due":                          {"When is *%s* due? (e.g. Friday, in 3 days, 5/20; or \"no date\" to use the tier cadence)", "*%s* 什么时候完成？（例如 周五、3天内、5月20日；或回复“不用”按客户等级的频率设定）"},
		"dm_no_customer":                      {"I couldn't find a customer matching “%s”. Try the code or another part of the name, or add it with `/followup new`.", "没有找到与“%s”匹配的客户。请试试编号或名称的其他部分，或用 `/followup new` 添加。"},
		"dm_bad_due":                          {"I didn't catch a date there. Try \"Friday\", \"in 3 days\", \"2026-12-01\", or \"no date\".", "没有识别出日期。请试试“周五”“3天内”“12月1日”，或回复“不用”。"},
		"dm_understood":                       {"Here is what I understood:", "我理解的内容如下："},
		"dm_line_customer":                    {"*Customer:* %s (%s)", "*客户：* %s（%s）"},
		"dm_line_summary":                     {"*What happened:* %s", "*跟进内容：* %s"},
		"dm_save":                             {"Save", "保存"},
		"dm_cancelled":                        {"Cancelled: nothing was saved.", "已取消，未保存任何内容。"},
		"dm_expired":                          {"This conversation expired, so nothing was saved. Write to me again to log it.", "会话已过期，未保存任何内容。请重新发消息记录。"},
		"dm_picked":                           {"Customer: *%s*", "客户：*%s*"},
		"dm_moved_to_form":                    {"Continued in the form: save it there.", "已转到表单中继续，请在表单中保存。"},
		"title_team":                          {"Team setup", "团队设置"},
		"label_team_name":                     {"Team name", "团队名称"},
		"hint_team_name":                      {"An existing team's name updates that team.", "填写已有团队的名称将更新该团队。"},
		"label_manager":                       {"Manager", "经理"},
		"ph_manager":                          {"Who leads the team", "团队负责人"},
		"label_members":                       {"Reps", "销售代表"},
		"ph_members":                          {"Who is in the team", "团队成员"},
		"label_calendar":                      {"Holiday calendar", "节假日日历"},
		"label_work_hours":                    {"Working hours", "工作时间"},
		"label_work_days":                     {"Working days", "工作日"},
		"label_cadence":                       {"Tier %s: contact every … days", "%s 级客户：每几天联系一次"},
		"admins_only":                         {"Only admins can set up teams. Ask an admin (set with ADMIN_SLACK_IDS).", "只有管理员可以设置团队，请联系管理员（通过 ADMIN_SLACK_IDS 设置）。"},
		"saved_team":                          {":white_check_mark: Team *%s* saved: manager <@%s>, %d reps.", ":white_check_mark: 团队 *%s* 已保存：经理 <@%s>，%d 名销售代表。"},
		"Name the team.":                      {"", "请填写团队名称。"},
		"Pick the team's manager.":            {"", "请选择团队经理。"},
		"Write working hours as 09:00-18:00.": {"", "工作时间格式：09:00-18:00。"},
		"Write working days as Mon-Fri or Mon,Wed,Fri.": {"", "工作日格式：Mon-Fri 或 Mon,Wed,Fri。"},
		"A number of days from 1 to 365.":               {"", "请输入1到365之间的天数。"},
		"Only admins can set up teams.":                 {"", "只有管理员可以设置团队。"},
		"home_past_cadence":                             {"Customers past their cadence", "超过跟进频率的客户"},
		"dup_intro":                                     {"These customers look like the one you are adding:", "以下客户与正在添加的客户相似："},
		"dup_question":                                  {"Save *%s* as a new customer anyway?", "仍然将 *%s* 保存为新客户吗？"},
		"dup_match_line":                                {"• *%s* (%s), owner <@%s>", "• *%s*（%s），负责人 <@%s>"},
		"date_format_long":                              {"Mon 2 Jan 2006", "2006年1月2日"},
	}
}

func choiceText() catalog {
	return catalog{
		"method_phone":      {"Phone", "电话"},
		"method_visit":      {"Visit", "拜访"},
		"method_video":      {"Video meeting", "视频会议"},
		"method_email":      {"Email", "邮件"},
		"method_sms":        {"SMS", "短信"},
		"method_im":         {"IM (WeChat, WhatsApp…)", "即时通讯（微信等）"},
		"method_inbound":    {"Customer visited us", "客户来访"},
		"method_other":      {"Other", "其他"},
		"mood_positive":     {"Positive", "积极"},
		"mood_hesitant":     {"Hesitant", "犹豫"},
		"mood_resistant":    {"Resistant", "抵触"},
		"stage_lead":        {"Lead", "潜在"},
		"stage_intent":      {"Intent", "意向"},
		"stage_quoted":      {"Quoted", "报价"},
		"stage_won":         {"Won", "成交"},
		"stage_lost":        {"Lost", "流失"},
		"tier_S":            {"S: key account (daily)", "S：重点客户（每天）"},
		"tier_A":            {"A: high potential (every 3 days)", "A：潜力客户（每3天）"},
		"tier_B":            {"B: nurture (weekly)", "B：普通客户（每周）"},
		"tier_C":            {"C: low priority (monthly)", "C：低优先级（每月）"},
		"source_trade_show": {"Trade show", "展会"},
		"source_referral":   {"Referral", "转介绍"},
		"source_inbound":    {"Inbound (website)", "官网咨询"},
		"source_ads":        {"Advertising", "广告"},
		"source_partner":    {"Partner", "合作伙伴"},
		"source_outbound":   {"Cold outreach", "主动开发"},
		"source_other":      {"Other", "其他"},
	}
}

// validationText carries the Chinese for the domain's English validation messages.
func validationText() catalog {
	return catalog{
		"Enter the customer's name.":          {"", "请输入客户名称。"},
		"Enter the industry.":                 {"", "请输入所属行业。"},
		"Pick a tier: S, A, B or C.":          {"", "请选择客户等级：S、A、B 或 C。"},
		"Enter where the customer came from.": {"", "请填写客户来源。"},
		"Enter a contact's name.":             {"", "请输入联系人姓名。"},
		"That does not look like a credit code or ID number (6 to 32 letters and digits; an 18-character one ends in its check character).": {"", "这不像统一社会信用代码或证件号（6到32位字母和数字；18位号码的最后一位是校验码）。"},
		"Enter the contact's phone number.":                                                {"", "请输入联系电话。"},
		"That does not look like a phone number (6 to 20 digits, e.g. +86 138 0000 5678).": {"", "电话号码格式不正确（6到20位数字，例如 +86 138 0000 5678）。"},
		"That does not look like an email address (name@example.com).":                     {"", "邮箱格式不正确（例如 name@example.com）。"},
		"A code has 2 to 32 letters, digits, dashes or underscores (e.g. C202405001).":     {"", "编号由2到32位字母、数字、横线或下划线组成（例如 C202405001）。"},
		"Pick the customer.":                                         {"", "请选择客户。"},
		"Pick how you were in touch.":                                {"", "请选择跟进方式。"},
		"Say what was discussed.":                                    {"", "请填写跟进内容。"},
		"Pick a mood from the list.":                                 {"", "请从列表中选择客户态度。"},
		"Pick a stage from the list.":                                {"", "请从列表中选择销售阶段。"},
		"Say what the next step is, or clear its due date.":          {"", "请填写下一步计划，或清空截止日期。"},
		"The next step cannot be due before the follow-up happened.": {"", "下一步的截止日期不能早于跟进日期。"},
		"That customer no longer exists.":                            {"", "该客户已不存在。"},
		"Please keep this under 3000 characters.":                    {"", "请控制在3000字以内。"},
		"Please keep this under 200 characters.":                     {"", "请控制在200字以内。"},
		"The follow-up date cannot be in the future.":                {"", "跟进日期不能晚于今天。"},
		"Be specific: what did you discuss and what did the customer say? e.g. \"confirmed interest in plan A, asked for B's details\".": {"", "请写具体：谈了什么？客户怎么说？例如“确认对方案A有兴趣，索要方案B细节”。"},
	}
}

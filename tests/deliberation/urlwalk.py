"""The deliberation app's objects and URL arguments for the URL walk of every role
(tests/core/test_url_access.py)."""


def objects(people) -> dict:
    from kyokan.apps.deliberation import services as ds
    from kyokan.apps.deliberation.models import IdeaSession
    from kyokan.apps.meetings.models import Meeting

    secretariat = people["secretariat"]
    idea = ds.idea_create(
        actor=people["staff"], title="窓口予約", problem="待ち時間が長い", proposal="予約制にする"
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    attachment = ds.attachment_add(
        actor=people["staff"],
        idea=idea,
        upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"),
    )
    comment = ds.comment_add(actor=people["promoter"], idea=idea, body="賛成です")
    citizen_idea = ds.idea_create(
        actor=None,
        origin="citizen",
        title="公園の予約",
        problem="電話しかない",
        proposal="ネット予約",
        author_name="市民A",
    )
    ds.idea_publish(actor=secretariat, idea=citizen_idea, public=True)
    meeting = Meeting.objects.order_by("id").first()
    session = IdeaSession.objects.create(idea=idea, meeting=meeting) if meeting else None
    conversation = ds.conversation_create(
        actor=secretariat,
        title="DXとは",
        question="本市が目指すDXとは",
        seeds=["市民の手続を来庁不要にする", "職員の業務を減らす"],
    )
    ds.conversation_set_state(actor=secretariat, conversation=conversation, state="open")
    # open to citizens, results published (not analysed: the report says so)
    ds.conversation_update(
        actor=secretariat, conversation=conversation, is_public=True, results_public=True
    )
    statement = conversation.statements.first()
    from kyokan.apps.deliberation.models import ConsensusRun

    run = ConsensusRun.objects.create(conversation=conversation, status="failed")
    return {
        "idea": idea,
        "idea_attachment": attachment,
        "idea_comment": comment,
        "citizen_idea": citizen_idea,
        "idea_session": session,
        "conversation": conversation,
        "statement": statement,
        "consensus_run": run,
    }


ARGS = {
    "deliberation:idea": lambda o: {"pk": o["idea"].pk},
    "deliberation:idea_edit": lambda o: {"pk": o["idea"].pk},
    "deliberation:idea_status": lambda o: {"pk": o["idea"].pk},
    "deliberation:idea_launch": lambda o: {"pk": o["idea"].pk},
    "deliberation:idea_comment": lambda o: {"pk": o["idea"].pk},
    "deliberation:idea_support": lambda o: {"pk": o["idea"].pk},
    "deliberation:idea_follow": lambda o: {"pk": o["idea"].pk},
    "deliberation:idea_report": lambda o: {"pk": o["idea"].pk},
    "deliberation:idea_publish": lambda o: {"pk": o["idea"].pk},
    "deliberation:idea_sessions": lambda o: {"pk": o["idea"].pk},
    "deliberation:session_remove": lambda o: {"pk": o["idea_session"].pk},
    "deliberation:comment_report": lambda o: {"pk": o["idea_comment"].pk},
    "deliberation:attachment": lambda o: {"pk": o["idea_attachment"].pk},
    "deliberation:attachment_remove": lambda o: {"pk": o["idea_attachment"].pk},
    "deliberation:public_track": lambda o: {"token": o["citizen_idea"].token},
    "deliberation:public_idea": lambda o: {"pk": o["citizen_idea"].pk},
    "deliberation:public_report": lambda o: {"pk": o["citizen_idea"].pk},
    "deliberation:moderation_decide": lambda o: {"kind": "idea", "pk": o["idea"].pk},
    "deliberation:conversation": lambda o: {"pk": o["conversation"].pk},
    "deliberation:conversation_edit": lambda o: {"pk": o["conversation"].pk},
    "deliberation:vote": lambda o: {"pk": o["conversation"].pk},
    "deliberation:statement_add": lambda o: {"pk": o["conversation"].pk},
    "deliberation:seed_add": lambda o: {"pk": o["conversation"].pk},
    "deliberation:statements": lambda o: {"pk": o["conversation"].pk},
    "deliberation:statement_moderate": lambda o: {
        "pk": o["conversation"].pk,
        "spk": o["statement"].pk,
    },
    "deliberation:conversation_state": lambda o: {"pk": o["conversation"].pk, "state": "closed"},
    "deliberation:analyse": lambda o: {"pk": o["conversation"].pk},
    "deliberation:run": lambda o: {"pk": o["consensus_run"].pk},
    "deliberation:report": lambda o: {"pk": o["conversation"].pk},
    "deliberation:export_polis": lambda o: {"pk": o["conversation"].pk},
    "deliberation:export_csv": lambda o: {"pk": o["conversation"].pk, "what": "statements"},
    "deliberation:public_conversation": lambda o: {"pk": o["conversation"].pk},
    "deliberation:public_vote": lambda o: {"pk": o["conversation"].pk},
    "deliberation:public_statement": lambda o: {"pk": o["conversation"].pk},
    "deliberation:public_conversation_report": lambda o: {"pk": o["conversation"].pk},
}

PUBLIC = {
    "deliberation:public_ideas",
    "deliberation:public_create",
    "deliberation:public_similar",
    "deliberation:public_track",
    "deliberation:public_idea",
    "deliberation:public_report",
    "deliberation:public_conversations",
    "deliberation:public_conversation",
    "deliberation:public_vote",
    "deliberation:public_statement",
    "deliberation:public_conversation_report",
}

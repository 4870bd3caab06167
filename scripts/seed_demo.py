#!/usr/bin/env python3
"""Fills a fresh Local Messenger server with a small class, for screenshots
and client measurements. Standard library only.

    seed_demo.py URL class PICTURE      register six people, a few chats
                                        (PICTURE "-": no picture)
    seed_demo.py URL say FROM TO TEXT   one more message
    seed_demo.py URL long FROM TO N     N numbered messages (a long chat)
    seed_demo.py URL admin              what the admin panel shows: a role
                                        changed, an account disabled, failed
                                        logins, a role of the school's own
    seed_demo.py URL school             school mode: David becomes a
                                        Teacher, students write only to
                                        teachers, registration is closed
    seed_demo.py URL avatar USER FILE   USER's avatar from a picture file
    seed_demo.py URL notify             the teacher's notifications: two
                                        announcements and a note to Anna
    seed_demo.py URL announce           an important announcement to all
    seed_demo.py URL groups             the teacher's class group (a talk
                                        with read marks) and its channel
                                        for announcements (owners only)
    seed_demo.py URL files              files: a worksheet from the
                                        teacher to Anna, Anna's essay back
    seed_demo.py URL finding            after `groups`: the test date in the
                                        class group (edited once), Ben's
                                        reply to Anna quoting her, the
                                        date forwarded to Emma

SEED_LANGUAGE=ru: the class has Russian names and writes in Russian
(for the Russian screenshots); the usernames stay the same.
"""
import base64
import json
import os
import sys
import urllib.parse
import urllib.request

PASSWORD = "lab-computer-204"
RUSSIAN = os.environ.get("SEED_LANGUAGE") == "ru"
if RUSSIAN:
    PEOPLE = [("teacher", "Мария Ивановна"), ("anna", "Анна Петрова"), ("ben", "Борис Окунев"),
              ("chloe", "Полина Мартынова"), ("david", "Давид Ким"), ("emma", "Эмма Новак")]
    LINES = ["Доброе утро! Сегодня компьютерный класс открывается в 9:00.",
             "Спасибо, я приду.",
             "Привет, Аня! Ты сделала лабораторную по физике?",
             "Почти. Вот мой график колебаний маятника:",
             "Отлично! У меня такой же. <b>Это останется простым текстом</b>",
             "Хорошо, увидимся в классе.",
             "Встретимся после урока?",
             "Можешь прислать конспект за понедельник?"]
else:
    PEOPLE = [("teacher", "Ms Rivera"), ("anna", "Anna Petrova"), ("ben", "Ben Okafor"),
              ("chloe", "Chloe Martin"), ("david", "David Kim"), ("emma", "Emma Novak")]
    LINES = ["Good morning! The lab opens at 9:00 today.",
             "Thank you, I'll be there.",
             "Hi Anna, did you finish the physics worksheet?",
             "Almost. Here is my graph of the pendulum:",
             "Nice! Mine looks the same. <b>This stays plain text</b>",
             "Great, see you in the lab.",
             "Are we meeting after class?",
             "Can you share the notes from Monday?"]


class Server:
    def __init__(self, base):
        self.base = base.rstrip("/")
        self.sessions = {}
        self.sent = 0

    def call(self, method, path, body=None, token=None, raw=None):
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = "Bearer " + token
        data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
        request = urllib.request.Request(self.base + "/api/v1" + path, data, headers, method=method)
        with urllib.request.urlopen(request) as response:
            raw = response.read()
            return json.loads(raw) if raw else None

    def session(self, username):
        if username not in self.sessions:
            self.sessions[username] = self.call(
                "POST", "/auth/login", {"login": username, "password": PASSWORD})
        return self.sessions[username]

    def register_class(self):
        for username, name in PEOPLE:
            self.sessions[username] = self.call("POST", "/auth/register", {
                "username": username, "password": PASSWORD, "display_name": name})

    def say(self, sender, recipient, text, picture=None):
        self.sent += 1
        body = {"client_id": "seed-%d-%s" % (self.sent, sender), "text": text}
        if picture:
            with open(picture, "rb") as f:
                body["image"] = {"data": base64.b64encode(f.read()).decode()}
        to = self.session(recipient)["account"]["id"]
        return self.call("POST", "/conversations/%d/messages" % to, body,
                         self.session(sender)["token"])

    def read(self, reader, peer, message):
        to = self.session(peer)["account"]["id"]
        self.call("POST", "/conversations/%d/read" % to, {"up_to": message["id"]},
                  self.session(reader)["token"])


def seed_class(server, picture):
    server.register_class()
    anna = [name for username, name in PEOPLE if username == "anna"][0]
    server.call("PUT", "/users/me", {"display_name": anna, "email": "anna.petrova@school.test",
                                     "phone": "+7 900 123-45-67"}, server.session("anna")["token"])
    server.say("teacher", "anna", LINES[0])
    server.say("anna", "teacher", LINES[1])
    server.say("ben", "anna", LINES[2])
    graph = server.say("anna", "ben", LINES[3], None if picture == "-" else picture)
    server.read("ben", "anna", graph)
    server.say("ben", "anna", LINES[4])
    server.say("anna", "ben", LINES[5])
    server.say("chloe", "anna", LINES[6])
    server.say("david", "anna", LINES[7])


def seed_admin(server):
    """The teacher (the first account, the administrator) at work."""
    import urllib.error
    token = server.session("teacher")["token"]
    ids = {name: server.session(name)["account"]["id"] for name, _ in PEOPLE}
    for attempt in range(3):
        try:
            server.call("POST", "/auth/login", {"login": "david", "password": "wrong-%d" % attempt})
        except urllib.error.HTTPError:
            pass
    try:
        server.call("POST", "/auth/login", {"login": "principal", "password": "guess1234"})
    except urllib.error.HTTPError:
        pass
    if RUSSIAN:
        role, why_role, why_off = "Лаборант", "Помогает вести кружок", "Рассылал спам в чате 9Б"
    else:
        role, why_role, why_off = "Lab assistant", "Helps run the robotics club", "Sent spam to the 9B chat"
    server.call("POST", "/admin/roles", {"name": role, "description": "",
                                         "permissions": ["report:view"]}, token)
    server.call("PUT", "/admin/users/%d/role" % ids["chloe"], {"role": 2, "reason": why_role}, token)
    server.call("PUT", "/admin/users/%d/status" % ids["emma"],
                {"status": "disabled", "reason": why_off}, token)
    server.call("GET", "/admin/messages?q=%D0%BB%D0%B0%D0%B1" if RUSSIAN else "/admin/messages?q=lab",
                None, token)


def seed_school(server):
    """School mode on: David teaches; students write only to teachers;
    the staff make the accounts."""
    token = server.session("teacher")["token"]
    roles = server.call("GET", "/roles", None, token)
    teacher = [r["id"] for r in roles if r["name"] == "Teacher"][0]
    david = server.session("david")["account"]["id"]
    why = "Ведёт информатику" if RUSSIAN else "Teaches computer science"
    server.call("PUT", "/admin/users/%d/role" % david, {"role": teacher, "reason": why}, token)
    server.call("PUT", "/admin/settings", {"messaging": "staff", "registration": "closed"}, token)


if RUSSIAN:
    CLASS_TITLE, CHANNEL_TITLE = "9Б", "9Б: объявления"
    CLASS_TALK = [("teacher", "Домашнее задание на пятницу: §12, задачи 3–5."),
                  ("ben", "А задачу 5 можно решить в тетради?"),
                  ("teacher", "Да, в тетради. Принесите её на урок."),
                  ("chloe", "@anna, у тебя есть учебник? Я свой забыла в классе."),
                  ("anna", "Есть, завтра принесу.")]
    CHANNEL_TALK = [("teacher", "Контрольная по информатике — в понедельник, вторым уроком."),
                    ("teacher", "Экскурсия в технопарк переносится на среду.")]
else:
    CLASS_TITLE, CHANNEL_TITLE = "9B", "9B: announcements"
    CLASS_TALK = [("teacher", "Homework for Friday: §12, problems 3–5."),
                  ("ben", "Can we do problem 5 in our notebooks?"),
                  ("teacher", "Yes, in your notebooks. Bring them to class."),
                  ("chloe", "@anna, do you have the textbook? I left mine in the classroom."),
                  ("anna", "I do, I'll bring it tomorrow.")]
    CHANNEL_TALK = [("teacher", "The computer science test is on Monday, second lesson."),
                    ("teacher", "The tech park trip moves to Wednesday.")]


def seed_groups(server):
    """The teacher's class group, everyone talking, and the class's
    channel, where only she writes."""
    token = server.session("teacher")["token"]
    students = [server.session(name)["account"]["id"] for name in ("anna", "ben", "chloe", "david")]
    group = server.call("POST", "/groups", {"title": CLASS_TITLE, "member_ids": students}, token)
    channel = server.call("POST", "/groups", {"title": CHANNEL_TITLE, "member_ids": students,
                                              "posting": "owners"}, token)
    for talk, where in ((CHANNEL_TALK, channel), (CLASS_TALK, group)):
        for n, (sender, text) in enumerate(talk):
            server.sent += 1
            message = server.call("POST", "/groups/%d/messages" % where["id"],
                                  {"client_id": "group-%d" % server.sent, "text": text},
                                  server.session(sender)["token"])
            # Ben and Chloe read as the talk goes; David has not looked.
            for reader in ("ben", "chloe"):
                if reader != sender and n < len(talk) - 1:
                    server.call("POST", "/groups/%d/read" % where["id"], {"up_to": message["id"]},
                                server.session(reader)["token"])


if RUSSIAN:
    FILES = [("teacher", "anna", "Рабочий лист — законы Ньютона.pdf", 412_000,
              "Рабочий лист к четвергу, решите задачи 1–5."),
             ("anna", "teacher", "Сочинение «Образ Петербурга в романе Достоевского», Петрова, 9Б.docx",
              1_730_000, "Моё сочинение, проверьте, пожалуйста.")]
else:
    FILES = [("teacher", "anna", "Worksheet - Newton's laws.pdf", 412_000,
              "The worksheet for Thursday: problems 1 to 5."),
             ("anna", "teacher", "Essay - The city in Dickens's Great Expectations, Petrova, 9B.docx",
              1_730_000, "My essay, could you have a look?")]


def seed_files(server):
    for sender, recipient, name, size, text in FILES:
        token = server.session(sender)["token"]
        data = bytes((i * 7) % 251 for i in range(size))
        request = urllib.request.Request(
            server.base + "/api/v1/files?name=" + urllib.parse.quote(name), data,
            {"Authorization": "Bearer " + token, "Content-Type": "application/octet-stream"},
            method="POST")
        with urllib.request.urlopen(request) as response:
            stored = json.loads(response.read())
        server.sent += 1
        to = server.session(recipient)["account"]["id"]
        server.call("POST", "/conversations/%d/messages" % to,
                    {"client_id": "seed-file-%d" % server.sent, "text": text,
                     "file_id": stored["id"]}, token)


if RUSSIAN:
    TEST_DATE = ("Контрольная по физике будет в среду, вторым уроком.",
                 "Контрольная по физике будет в пятницу, 12 марта, вторым уроком.")
    ASKED = "Ты уже знаешь, когда контрольная?"
    ANSWER = "Да, учительница написала в группе класса: в пятницу."
    LATER = ["Возьми с собой калькулятор.", "И линейку тоже, там будут графики."]
else:
    TEST_DATE = ("The physics test is on Wednesday, second lesson.",
                 "The physics test is on Friday 12 March, second lesson.")
    ASKED = "Do you know when the test is yet?"
    ANSWER = "Yes, the teacher wrote in the class group: on Friday."
    LATER = ["Bring a calculator.", "And a ruler, there will be graphs."]


def seed_finding(server):
    """What finding and fixing messages shows: a date the teacher
    corrected, a reply with its quote, a forward."""
    # Client ids of their own: the `class` run numbered from 1 too.
    server.sent = 1000
    token = server.session("teacher")["token"]
    groups = server.call("GET", "/groups", token=token)
    group = [g for g in groups if g["title"] == CLASS_TITLE][0]
    server.sent += 1
    notice = server.call("POST", "/groups/%d/messages" % group["id"],
                         {"client_id": "find-%d" % server.sent, "text": TEST_DATE[0]}, token)
    server.call("PUT", "/messages/%d" % notice["id"], {"text": TEST_DATE[1]}, token)
    asked = server.say("anna", "ben", ASKED)
    server.sent += 1
    ben = server.session("ben")
    server.call("POST", "/conversations/%d/messages" % server.session("anna")["account"]["id"],
                {"client_id": "find-%d" % server.sent, "text": ANSWER, "reply_to": asked["id"]},
                ben["token"])
    for line in LATER:
        server.say("ben", "anna", line)
    server.sent += 1
    server.call("POST", "/conversations/%d/messages" % server.session("emma")["account"]["id"],
                {"client_id": "find-%d" % server.sent, "forward_of": notice["id"]},
                server.session("anna")["token"])


def set_avatar(server, username, picture):
    with open(picture, "rb") as f:
        server.call("PUT", "/users/me/avatar", token=server.session(username)["token"], raw=f.read())


if RUSSIAN:
    NOTES = [("Кружок робототехники", "В четверг кружок начнётся в 15:30, а не в 15:00.", None, "normal"),
             ("Домашнее задание", "Анна, не забудьте сдать лабораторную по физике до пятницы.", "anna", "normal"),
             ("Контрольная по информатике", "Контрольная работа 9Б — в понедельник, вторым уроком.", None, "important")]
    URGENT = ("Лабораторная переносится", "Завтрашняя лабораторная по физике пройдёт в кабинете 204.")
else:
    NOTES = [("Robotics club", "On Thursday the club starts at 15:30, not 15:00.", None, "normal"),
             ("Homework", "Anna, please hand in the physics lab report by Friday.", "anna", "normal"),
             ("Computer science test", "Class 9B writes the test on Monday, second lesson.", None, "important")]
    URGENT = ("The lab is moved", "Tomorrow's physics lab is in room 204.")


def notify(server):
    token = server.session("teacher")["token"]
    for title, text, to, importance in NOTES:
        body = {"title": title, "text": text, "importance": importance}
        if to:
            body["to"] = server.session(to)["account"]["id"]
            server.call("POST", "/notifications", body, token)
        else:
            server.call("POST", "/notifications/broadcast", body, token)


def announce(server):
    title, text = URGENT
    server.call("POST", "/notifications/broadcast",
                {"title": title, "text": text, "importance": "important"},
                server.session("teacher")["token"])


def main(args):
    server = Server(args[0])
    command = args[1]
    if command == "class":
        seed_class(server, args[2])
    elif command == "say":
        server.say(args[2], args[3], args[4])
    elif command == "admin":
        seed_admin(server)
    elif command == "school":
        seed_school(server)
    elif command == "avatar":
        set_avatar(server, args[2], args[3])
    elif command == "notify":
        notify(server)
    elif command == "announce":
        announce(server)
    elif command == "groups":
        seed_groups(server)
    elif command == "files":
        seed_files(server)
    elif command == "finding":
        seed_finding(server)
    elif command == "long":
        for n in range(1, int(args[4]) + 1):
            server.say(args[2], args[3], "Message %d of a long chat" % n)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    main(sys.argv[1:])

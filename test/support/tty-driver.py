"""Runs a command on a pseudo-terminal and types answers at its prompts.

argv[1]: the command as a JSON list; argv[2]: the answers as a JSON list, one
per password prompt ("Password: ", "Password (again): "). Prints {"code", "output"} as JSON.
"""
import json
import re
import os
import pty
import select
import sys

command = json.loads(sys.argv[1])
answers = json.loads(sys.argv[2])
pid, fd = pty.fork()
if pid == 0:
    os.execvp(command[0], command)

output = b''
answered = 0
while True:
    ready, _, _ = select.select([fd], [], [], 120)
    if not ready:
        break
    try:
        chunk = os.read(fd, 4096)
    except OSError:
        break
    if not chunk:
        break
    output += chunk
    prompts = len(re.findall(rb'Password[^:\n]*: ', output))
    if answered < len(answers) and prompts > answered:
        os.write(fd, answers[answered].encode() + b'\r')
        answered += 1

_, status = os.waitpid(pid, 0)
print(json.dumps({"code": os.waitstatus_to_exitcode(status), "output": output.decode(errors="replace")}))

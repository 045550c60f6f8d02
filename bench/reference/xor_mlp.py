#!/usr/bin/python3
# The tutorial's XOR MLP as written: 2-10-10-10-1 with a Sigmoid after every Linear,
# BCELoss, SGD lr 1, 10001 full-batch steps on the four XOR points, seed 777, the cost
# printed every 100 epochs. Added: timing lines for bench/aggregate.py.
# Env: THREADS (torch.set_num_threads).
import os
import time

T_START = time.perf_counter()
import torch
import torch.nn as nn
T_IMPORTED = time.perf_counter()

if os.environ.get("THREADS"):
    torch.set_num_threads(int(os.environ["THREADS"]))
device = 'cuda' if torch.cuda.is_available() else 'cpu'
torch.manual_seed(777)
if device == 'cuda':
    torch.cuda.manual_seed_all(777)

X = torch.FloatTensor([[0, 0], [0, 1], [1, 0], [1, 1]]).to(device)
Y = torch.FloatTensor([[0], [1], [1], [0]]).to(device)

model = nn.Sequential(
    nn.Linear(2, 10, bias=True), nn.Sigmoid(),
    nn.Linear(10, 10, bias=True), nn.Sigmoid(),
    nn.Linear(10, 10, bias=True), nn.Sigmoid(),
    nn.Linear(10, 1, bias=True), nn.Sigmoid()).to(device)
criterion = torch.nn.BCELoss().to(device)
optimizer = torch.optim.SGD(model.parameters(), lr=1)

T_READY = time.perf_counter()
C_READY = time.process_time()
for epoch in range(10001):
    optimizer.zero_grad()
    hypothesis = model(X)
    cost = criterion(hypothesis, Y)
    cost.backward()
    optimizer.step()
    if epoch % 100 == 0:
        print(epoch, cost.item())
T_TRAINED = time.perf_counter()
C_TRAINED = time.process_time()

with torch.no_grad():
    hypothesis = model(X)
    predicted = (hypothesis > 0.5).float()
    accuracy = (predicted == Y).float().mean()
    print('Hypothesis:', hypothesis.view(-1).tolist())
    print('Accuracy:', accuracy.item())
T_END = time.perf_counter()
train_s = T_TRAINED - T_READY
print('TIME import %.4f' % (T_IMPORTED - T_START))
print('TIME train %.6f' % train_s)
print('TIME total %.4f' % (T_END - T_START))
print('RESULT workload=xor steps=10001 train_s=%.6f train_cpu_s=%.6f us_per_step=%.3f final_cost=%.9f acc=%.4f '
      'threads=%d' % (train_s, C_TRAINED - C_READY, train_s / 10001 * 1e6, cost.item(), accuracy.item(), torch.get_num_threads()))

#!/usr/bin/python3
# The tutorial's softmax regression (Linear 784->10, CrossEntropyLoss, SGD lr 0.1, batch
# 100, drop_last, seed 777) written the fast way: the training set preloaded once as a
# float32 tensor (pixels / 255, what ToTensor gives) and each epoch slicing batches out
# of torch.randperm. No DataLoader, no per-sample Python. Reads the IDX files directly.
# Env: DATA (IDX folder, default data/mnist), EPOCHS (default 15), THREADS
# (torch.set_num_threads; OpenBLAS's own threads follow OPENBLAS_NUM_THREADS).
import os
import sys
import time

T_START = time.perf_counter()
import torch
import torch.nn as nn
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from idx import load_mnist
T_IMPORTED = time.perf_counter()

if os.environ.get("THREADS"):
    torch.set_num_threads(int(os.environ["THREADS"]))
torch.manual_seed(777)
epochs = int(os.environ.get("EPOCHS", "15"))
batch_size = 100

tr_x, tr_y, te_x, te_y = load_mnist(os.environ.get("DATA", "data/mnist"))
X_train = torch.from_numpy(tr_x.reshape(-1, 784).astype("float32") / 255.0)
Y_train = torch.from_numpy(tr_y.astype("int64"))
X_test = torch.from_numpy(te_x.reshape(-1, 784).astype("float32"))
Y_test = torch.from_numpy(te_y.astype("int64"))
n = X_train.shape[0]
total_batch = n // batch_size

linear = nn.Linear(784, 10, bias=True)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(linear.parameters(), lr=0.1)
T_READY = time.perf_counter()

epoch_times = []
epoch_cpu = []  # process CPU seconds per epoch (all threads)
for epoch in range(epochs):
    t0 = time.perf_counter()
    c0 = time.process_time()
    perm = torch.randperm(n)
    avg_cost = 0.0
    for i in range(total_batch):
        idx = perm[i * batch_size:(i + 1) * batch_size]
        optimizer.zero_grad()
        cost = criterion(linear(X_train[idx]), Y_train[idx])
        cost.backward()
        optimizer.step()
        avg_cost += cost.item() / total_batch
    epoch_times.append(time.perf_counter() - t0)
    epoch_cpu.append(time.process_time() - c0)
    print('Epoch:', '%04d' % (epoch + 1), 'cost =', '{:.9f}'.format(avg_cost))
    print('TIME epoch %d %.4f' % (epoch + 1, epoch_times[-1]))
    print('TIME epoch_cpu %d %.4f' % (epoch + 1, epoch_cpu[-1]), flush=True)
T_TRAINED = time.perf_counter()

with torch.no_grad():
    acc_raw = (linear(X_test).argmax(1) == Y_test).float().mean().item()
    acc01 = (linear(X_test / 255.0).argmax(1) == Y_test).float().mean().item()
T_END = time.perf_counter()
med = sorted(epoch_times)[len(epoch_times) // 2] if epoch_times else 0.0
cmed = sorted(epoch_cpu)[len(epoch_cpu) // 2] if epoch_cpu else 0.0
print('TIME import %.4f' % (T_IMPORTED - T_START))
print('TIME setup %.4f' % (T_READY - T_IMPORTED))
print('TIME train %.4f' % (T_TRAINED - T_READY))
print('TIME eval %.4f' % (T_END - T_TRAINED))
print('TIME total %.4f' % (T_END - T_START))
print('RESULT workload=fast_softmax epochs=%d epoch_median=%.4f epoch_cpu_median=%.4f epoch_min=%.4f '
      'acc=%.4f acc_div255=%.4f final_cost=%.9f threads=%d'
      % (epochs, med, cmed, min(epoch_times) if epoch_times else 0.0, acc_raw, acc01,
                                      avg_cost, torch.get_num_threads()))
